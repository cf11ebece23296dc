/**
 * A request written as a letter ("Hi team,\n\n... Could you open an incident?\n\nThanks,\nAnna"):
 * its salutation and sign-off greet the reader and name the writer; they ask for nothing and say
 * nothing about the problem, so they are no part of what a tool is given. Read from the letter's
 * layout (general English letter form), not from word lists.
 */

/** A salutation: a first line of a few words ending in a comma ("Hello Service Desk,", "Dear IT,"). */
const SALUTATION = /^[^\n,.?!:;]{1,40},[ \t]*\n/;
/** Words in a line of a sign-off ("Kind regards,", "Many thanks, Felix Wagner", "Robert"). */
const MAX_SIGN_OFF_WORDS = 4;
/** A line that asks or gives a value (a question, a number) is the letter's body, not its sign-off. */
const BODY_LINE = /[?\d:;]/;

/** Whether a last line closes the letter: a few words, with no question or value in it. */
function isSignOffLine(line: string): boolean {
  const words = line.trim().split(/\s+/).filter(Boolean);
  return words.length > 0 && words.length <= MAX_SIGN_OFF_WORDS && !BODY_LINE.test(line);
}

/** The body of a request written as a letter (unchanged when it opens with no salutation). */
export function letterBody(text: string): string {
  const salutation = SALUTATION.exec(text);
  if (!salutation) return text;
  const lines = text.slice(salutation[0].length).split('\n');
  // The sign-off stands after the body's last paragraph break.
  let end = lines.length;
  while (end > 0 && lines[end - 1]?.trim() === '') end -= 1;
  let start = end;
  while (start > 0 && lines[start - 1]?.trim() !== '' && isSignOffLine(lines[start - 1] ?? '')) start -= 1;
  const separated = start > 0 && start < end && lines[start - 1]?.trim() === '';
  const body = (separated ? lines.slice(0, start) : lines).join('\n').trim();
  return body || text;
}
