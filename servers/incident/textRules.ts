import { ToolError } from '../../src/errors.ts';
import { textProblem } from '../../src/text.ts';

/**
 * Text with control characters is refused rather than cleaned, in every text field of every tool
 * and on both stores. PostgreSQL cannot store a NUL at all, and SQLite would keep a string that
 * its own `length()` and every C client cut short at the NUL; other controls (ESC, bell, DEL, C1)
 * are terminal escapes or binary garbage. Quietly stripping them would store something other than
 * what was sent; a refusal that names the field and the character lets the caller fix its input
 * (a model reads the message and retries without it). Tab, line feed and carriage
 * return are ordinary text (pasted Windows text has CR LF) and pass. Strings that are not
 * well-formed UTF-16 (a lone surrogate) are refused too: PostgreSQL would store U+FFFD instead.
 * The check itself is `textProblem` of src/text.ts, which the service applies to run input.
 */
export const TEXT_RULE = 'Control characters other than tab, newline and carriage return are refused.';

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
