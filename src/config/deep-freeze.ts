/**
 * Freezes an object graph so nothing can change configuration after start. Typed arrays are left
 * as they are: the engine refuses to freeze a view with elements (a TypeError).
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value
  for (const key of Reflect.ownKeys(value)) {
    deepFreeze((value as Record<PropertyKey, unknown>)[key]) // any object's own keys index it
  }
  return Object.freeze(value)
}
