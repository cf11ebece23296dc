/**
 * Text that every store can keep. PostgreSQL cannot store a NUL in `text` or `jsonb`, nor a lone
 * surrogate in `jsonb`; SQLite keeps both but cuts text short at a NUL in `length()` and in C
 * clients. Input a person or a model writes is refused with {@link textProblem}; data that only
 * passes through (a tool's result, a model's answer) is made storable with {@link storable}.
 */

// C0 controls but tab (09), line feed (0A) and carriage return (0D); DEL; C1 controls.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * Why `value` is not acceptable input, e.g. "contains the control character U+0000 at character 4
 * (only tab, newline and carriage return are allowed)"; undefined when it is. Refused: control
 * characters other than tab, line feed and carriage return (pasted Windows text has CR LF), and
 * lone surrogates (not well-formed UTF-16).
 */
export function textProblem(value: string): string | undefined {
  const control = CONTROL.exec(value);
  if (control !== null) {
    const code = control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return `contains the control character U+${code} at character ${control.index + 1} (only tab, newline and carriage return are allowed)`;
  }
  if (!value.isWellFormed()) {
    const index = LONE_SURROGATE.exec(value)?.index ?? 0;
    return `is not well-formed Unicode: a lone surrogate at character ${index + 1}`;
  }
  return undefined;
}

/**
 * `value` with every NUL and lone surrogate in its strings (at any depth of plain objects and
 * arrays, keys included) replaced by U+FFFD, the replacement character; other values as they are.
 * Returns `value` itself when nothing needed replacing.
 */
export function storable<T>(value: T): T {
  return clean(value) as T;
}

function clean(value: unknown): unknown {
  if (typeof value === 'string')
    return value.includes('\u0000') || !value.isWellFormed() ? value.toWellFormed().replaceAll('\u0000', '\uFFFD') : value;
  if (Array.isArray(value)) {
    const items = value.map(clean);
    return items.every((item, index) => item === value[index]) ? value : items;
  }
  if (value === null || typeof value !== 'object') return value;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  let changed = false;
  const entries = Object.entries(value).map(([key, item]) => {
    const entry = [clean(key), clean(item)] as const;
    changed ||= entry[0] !== key || entry[1] !== item;
    return entry;
  });
  return changed ? Object.fromEntries(entries) : value;
}
