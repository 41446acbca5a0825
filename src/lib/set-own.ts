/**
 * Setting a property of a copy by its name, whatever the name.
 *
 * @internal
 * @module
 */

/**
 * Sets an own data property, also for the key `__proto__`, which plain assignment would
 * treat as a prototype change (`JSON.parse` makes it an own key; so must a copy).
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}
