/** A piece of a site's page, added to the test document; tests clear `document.body` after. */
export function mount(markup: string): HTMLElement {
  const host = document.createElement('div');
  host.innerHTML = markup;
  document.body.append(host);
  return host;
}

/** The element `selector` names in `root`, or a failed test saying which was missing. */
export function get<E extends Element = HTMLElement>(
  selector: string,
  root: ParentNode = document,
): E {
  const found = root.querySelector<E>(selector);
  if (!found) throw new Error(`no element for ${selector}`);
  return found;
}
