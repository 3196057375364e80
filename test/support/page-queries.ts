/**
 * Finding things in a page the way a person names them (a button's accessible name, a field's
 * label, visible text), for a browser driver with no such queries of its own: puppeteer's ARIA
 * selectors rely on the Chromium protocol's accessibility tree and time out on Firefox.
 *
 * `findAll` runs in the page, so it is one self-contained function: everything it uses is
 * declared inside it (the driver sends its source text).
 */

/** A pattern that can cross into the page (a RegExp cannot): source and flags. */
export interface TextPattern {
  source: string;
  flags: string;
}

export interface PageQuery {
  /**
   * Inside `<help-widget>` (its shadow roots included), the site's own page around it, or the
   * whole page through every shadow root (the agent page, an app of custom elements).
   */
  scope: 'widget' | 'page' | 'app';
  /** `field` is any labelled form control, as `getByLabel` finds; `text` is visible text. */
  kind: 'button' | 'textbox' | 'field' | 'link' | 'dialog' | 'text';
  /** An accessible name (exact, whitespace normalised) or a text (contained, any case). */
  match: string | TextPattern;
  /** Only what is drawn (default), or anything in the DOM (a visually hidden live region). */
  visibleOnly: boolean;
  /** Only elements inside one matching this CSS selector (in the page scope). */
  within?: string;
}

/** Turns a string or RegExp into what `findAll` takes. */
export function pattern(match: string | RegExp): string | TextPattern {
  return typeof match === 'string' ? match : { source: match.source, flags: match.flags };
}

/** Every element matching `query`, in document order (runs in the page). */
export function findAll(query: PageQuery): Element[] {
  const squash = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();
  const selectors: Record<Exclude<PageQuery['kind'], 'text'>, string> = {
    button: 'button, [role=button], input[type=button], input[type=submit]',
    textbox:
      'textarea, input:not([type]), input[type=text], input[type=email], input[type=password], input[type=search], input[type=tel], input[type=url], [role=textbox]',
    field: 'input, textarea, select',
    link: 'a[href], [role=link]',
    dialog: 'dialog, [role=dialog]',
  };
  const elements: Element[] = [];
  const collect = (root: Document | ShadowRoot, intoShadows: boolean) => {
    for (const element of root.querySelectorAll('*')) {
      elements.push(element);
      if (intoShadows && element.shadowRoot) collect(element.shadowRoot, true);
    }
  };
  if (query.scope === 'page') collect(document, false);
  else if (query.scope === 'app') collect(document, true);
  else {
    for (const host of document.querySelectorAll('help-widget')) {
      if (host.shadowRoot) collect(host.shadowRoot, true);
    }
  }
  const { match } = query;
  const matchesName = (name: string) =>
    typeof match === 'string'
      ? squash(name) === squash(match)
      : new RegExp(match.source, match.flags).test(squash(name));
  const containsText = (text: string) =>
    typeof match === 'string'
      ? squash(text).toLowerCase().includes(squash(match).toLowerCase())
      : new RegExp(match.source, match.flags).test(squash(text));
  // Text of a label without the control inside it (a <select>'s options are not its name).
  const labelText = (label: HTMLLabelElement) => {
    const copy = label.cloneNode(true) as HTMLElement;
    for (const control of copy.querySelectorAll('input, textarea, select')) control.remove();
    return copy.textContent ?? '';
  };
  const nameOf = (element: Element): string => {
    const label = element.getAttribute('aria-label');
    if (label) return label;
    const by = element.getAttribute('aria-labelledby');
    const root = element.getRootNode() as Document | ShadowRoot;
    if (by)
      return by
        .split(/\s+/)
        .map((id) => root.getElementById(id)?.textContent ?? '')
        .join(' ');
    const labels = (element as HTMLInputElement).labels;
    if (labels && labels.length > 0) return [...labels].map(labelText).join(' ');
    if (element instanceof HTMLInputElement) return element.value || element.title;
    return element.textContent ?? '';
  };
  const drawn = (element: Element) =>
    (!query.within || element.closest(query.within) !== null) &&
    (!query.visibleOnly || element.checkVisibility({ visibilityProperty: true }));
  if (query.kind === 'text') {
    // The innermost elements whose own text holds it, as a person reads it.
    const holding = elements.filter(
      (e) => !(e instanceof HTMLScriptElement || e instanceof HTMLStyleElement),
    );
    const found = holding.filter((e) => containsText(e.textContent ?? ''));
    return found.filter(
      (e) => !found.some((inner) => inner !== e && e.contains(inner)) && drawn(e),
    );
  }
  const selector = selectors[query.kind];
  return elements.filter((e) => e.matches(selector) && matchesName(nameOf(e)) && drawn(e));
}
