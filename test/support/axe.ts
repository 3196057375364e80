import axe from 'axe-core';

/** Every animation in the document, shadow roots included. */
function animations(root: Document | ShadowRoot): Animation[] {
  const found = root.getAnimations();
  for (const element of root.querySelectorAll('*')) {
    if (element.shadowRoot) found.push(...animations(element.shadowRoot));
  }
  return found;
}

/**
 * Runs axe on an element (shadow roots included) once animations have settled, so colour
 * contrast is judged on what a person finally sees, and returns readable violations.
 */
export async function axeViolations(context: Element | Document = document): Promise<string[]> {
  await Promise.all(animations(document).map((a) => a.finished.catch(() => undefined)));
  const result = await axe.run(context, { resultTypes: ['violations'] });
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes)`);
}
