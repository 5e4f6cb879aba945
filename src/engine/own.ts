/** Records keyed by names that come from users (asset symbols, column headers): a name such as
 *  `__proto__`, `constructor` or `toString` must be an ordinary key, never the object's
 *  prototype or one of its methods. O(1). */

/** Sets `record[key] = value` as an own property (a `__proto__` key does not set the prototype). */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** `record[key]` when the record itself has that key (never an inherited method). */
export function getOwn<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
