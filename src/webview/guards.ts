// Tiny runtime type guards shared by the protocol and report validation. Hand-written because
// the messages are few and small, and a schema library would add tens of kB to the webview
// bundle for what is a dozen lines here.

export type Guard<T> = (v: unknown) => v is T;

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const isString = (v: unknown): v is string => typeof v === 'string';
export const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
/** Finite numbers only: NaN/Infinity never reach the view (JSON cannot carry them anyway). */
export const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
export const isNullableNumber = (v: unknown): v is number | null => v === null || isNumber(v);
export const isNullableString = (v: unknown): v is string | null => v === null || isString(v);

export function isOneOf<T extends string>(values: readonly T[]): Guard<T> {
  return (v: unknown): v is T => typeof v === 'string' && (values as readonly string[]).includes(v);
}

export function isArrayOf<T>(guard: Guard<T>): Guard<T[]> {
  return (v: unknown): v is T[] => Array.isArray(v) && v.every(guard);
}

/** An object whose listed keys satisfy their guards; keys not listed are allowed (forward compatible). */
export function hasShape<T>(shape: { [K in keyof T]-?: Guard<T[K]> }): Guard<T> {
  return (v: unknown): v is T => {
    if (!isObject(v)) return false;
    for (const key of Object.keys(shape) as Array<keyof T>) {
      if (!shape[key](v[key as string])) return false;
    }
    return true;
  };
}

export function optional<T>(guard: Guard<T>): Guard<T | undefined> {
  return (v: unknown): v is T | undefined => v === undefined || guard(v);
}
