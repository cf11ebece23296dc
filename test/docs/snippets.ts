/** A fenced code block of a Markdown file, with the `##` section it sits in. */
export interface Snippet {
  readonly file: string;
  /** The text of the nearest `## ` heading above it ('' before the first). */
  readonly section: string;
  /** The fence's language (`json`, `sh`, ...). */
  readonly lang: string;
  readonly text: string;
  /** 1-based line of the opening fence, for messages. */
  readonly line: number;
}

/** Every fenced code block of `markdown`, in order. */
export function snippetsOf(file: string, markdown: string): Snippet[] {
  const out: Snippet[] = [];
  const lines = markdown.split('\n');
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const heading = /^## (.+)$/.exec(lines[i]!);
    if (heading) section = heading[1]!.trim();
    const fence = /^```(\w*)/.exec(lines[i]!);
    if (!fence) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i]!.startsWith('```'); i++) body.push(lines[i]!);
    out.push({ file, section, lang: fence[1] ?? '', text: body.join('\n'), line: start + 1 });
  }
  return out;
}

/** `where` for assertion messages: `docs/clients.md:42 (VS Code)`. */
export const where = (snippet: Snippet) => `${snippet.file}:${snippet.line} (${snippet.section})`;

/**
 * Splits one shell command line into words as sh would (single and double quotes, backslash
 * escapes, a trailing `# comment`), leaving `$VAR` unexpanded.
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === '\\' && quote === '"' && i + 1 < line.length) word = (word ?? '') + line[++i];
      else word = (word ?? '') + char;
      continue;
    }
    if (char === "'" || char === '"') {
      quote = char;
      word ??= '';
    } else if (char === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i];
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (char === '#' && word === undefined) {
      break;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} in: ${line}`);
  if (word !== undefined) words.push(word);
  return words;
}
