import axe from 'axe-core';

/** Runs axe on an element (shadow roots included) and returns readable violations. */
export async function axeViolations(context: Element | Document = document): Promise<string[]> {
  const result = await axe.run(context, { resultTypes: ['violations'] });
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes)`);
}
