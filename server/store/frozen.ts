/**
 * A deep-frozen copy. Records handed out by the store are shared, not copied on every read:
 * freezing them once, when stored, is what makes that safe. A caller that tries to change one
 * gets a TypeError (modules run in strict mode) instead of quietly changing the store's copy.
 */
export function frozenCopy<T>(value: T): T {
  return deepFreeze(structuredClone(value));
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
