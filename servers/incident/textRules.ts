import { ToolError } from '../../src/errors.ts';

/**
 * Text with control characters is refused rather than cleaned, in every text field of every tool
 * and on both stores. PostgreSQL cannot store a NUL at all, and SQLite would keep a string that
 * its own `length()` and every C client cut short at the NUL; other controls (ESC, bell, DEL, C1)
 * are terminal escapes or binary garbage. Quietly stripping them would store something other than
 * what was sent and make an idempotent retry with the same text look different; a refusal that
 * names the field and the character lets the caller fix its input. Tab, line feed and carriage
 * return are ordinary text (pasted Windows text has CR LF) and pass. Strings that are not
 * well-formed UTF-16 (a lone surrogate) are refused too: PostgreSQL would store U+FFFD instead.
 */
export const TEXT_RULE = 'Control characters other than tab, newline and carriage return are refused.';

// C0 controls but tab (09), line feed (0A) and carriage return (0D); DEL; C1 controls.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
const LONE_SURROGATE = /\p{Surrogate}/u;

/** Why `value` is refused by {@link TEXT_RULE}, e.g. "contains the control character U+0000 at character 4 (...)". */
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
 * Throws a `ToolError` naming the first string-valued field of `fields` that {@link TEXT_RULE}
 * refuses. Both stores call it before they touch the database, so they refuse alike.
 */
export function checkTextFields(fields: object): void {
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value !== 'string') continue;
    const problem = textProblem(value);
    if (problem !== undefined) throw new ToolError(`${name} ${problem}: remove it and send the text again`);
  }
}
