/** A document in the local index: a knowledge-base article or a file of the corpus directory. */
export interface LocalDocument {
  /** Stable address; also the document's id. */
  readonly url: string;
  readonly title: string;
  readonly tags: readonly string[];
  /** The text as stored (Markdown for articles), returned by `fetch_article`. */
  readonly content: string;
  /** Plain text for indexing and snippets. */
  readonly text: string;
  /** ISO date (YYYY-MM-DD) the document was last updated. */
  readonly updated: string;
}

/** What a parser extracts from a file before a url and a date are attached. */
export interface ParsedText {
  readonly title: string | undefined;
  readonly tags: readonly string[];
  readonly updated: string | undefined;
  readonly content: string;
  readonly text: string;
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

/** Reads the simple `key: value` front matter articles use; `tags` may be `[a, b]` or `a, b`. */
export function parseFrontMatter(source: string): { fields: Record<string, string>; body: string } {
  const match = FRONT_MATTER.exec(source);
  if (!match) return { fields: {}, body: source };
  const fields: Record<string, string> = {};
  for (const line of (match[1] ?? '').split(/\r?\n/)) {
    const pair = /^([A-Za-z_][\w-]*):\s*(.*)$/.exec(line.trim());
    if (pair?.[1]) fields[pair[1].toLowerCase()] = unquote(pair[2] ?? '');
  }
  return { fields, body: source.slice(match[0].length) };
}

function unquote(value: string): string {
  const trimmed = value.trim();
  return /^(['"]).*\1$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
}

function parseTags(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((tag) => unquote(tag).toLowerCase())
    .filter(Boolean);
}

// A link's text stops at any bracket and its destination (one level of parentheses allowed, as in
// "wiki/Foo_(bar)") at a line end, so a failed attempt never rescans the rest of the text.
const LINK_DESTINATION = String.raw`\((?:[^()\n]|\([^()\n]*\))*\)`;
const IMAGE = new RegExp(String.raw`!\[([^\][]*)\]${LINK_DESTINATION}`, 'g');
const LINK = new RegExp(String.raw`\[([^\][]+)\]${LINK_DESTINATION}`, 'g');
// A table's delimiter row (`|---|:--:|`). Cells after the first must follow a pipe: with the pipe
// optional, `-{3,}` inside a repeated group split a long run of dashes in exponentially many ways,
// and a line of 60 dashes followed by a word ("----- Original Message -----" writ large) took minutes.
const TABLE_DELIMITER_ROW = /^[ \t]*(?:\|[ \t]*)?:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*(?:\|[ \t]*)?$/gm;

/**
 * Markdown to plain text: headings, emphasis, code fences, links and list markers removed. Every
 * pattern runs in linear time, as corpus files of up to 2 MB pass through here.
 */
export function markdownToText(markdown: string): string {
  return (
    markdown
      .replace(/```[^`\n]*\n([\s\S]*?)```/g, '$1')
      .replace(IMAGE, '$1')
      .replace(LINK, '$1')
      .replace(/^[ \t]{0,3}#{1,6}[ \t]+/gm, '')
      .replace(/^[ \t]*>[ \t]?/gm, '')
      .replace(/^[ \t]*(?:[-*+]|\d+[.)])[ \t]+/gm, '')
      .replace(TABLE_DELIMITER_ROW, '')
      .replace(/^[ \t]*\||\|[ \t]*$/gm, '')
      // Spaces around cell pipes go with the runs of spaces collapsed below.
      .replace(/\|/g, ' ')
      .replace(/`([^`\n]+)`/g, '$1')
      .replace(/(\*\*|\*)(\S[^*\n]*?)\1/g, '$2')
      .replace(/(?<!\w)(__|_)(\S[^_\n]*?)\1(?!\w)/g, '$2')
      .replace(/[ \t]+/g, ' ')
      .replace(/^ | $/gm, '')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
  );
}

/** Parses a Markdown file: title from front matter or the first heading. */
export function parseMarkdown(source: string): ParsedText {
  const { fields, body } = parseFrontMatter(source);
  const heading = /^\s{0,3}#\s+(.+)$/m.exec(body)?.[1]?.trim();
  return {
    title: fields.title || heading,
    tags: parseTags(fields.tags),
    updated: fields.updated || fields.date,
    content: body.trim(),
    text: markdownToText(body),
  };
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function stripTags(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

/** Parses an HTML page to text: scripts, styles and comments dropped; title from `<title>` or the first heading. */
export function parseHtml(source: string): ParsedText {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(source)?.[1];
  const heading = /<h[1-3][^>]*>([\s\S]*?)<\/h[1-3]>/i.exec(source)?.[1];
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(source)?.[1] ?? source;
  const text = decodeEntities(
    body
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/<(script|style|noscript|template|svg|head)\b[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<(?:br|\/p|\/div|\/li|\/h[1-6]|\/tr|\/section|\/article)\b[^>]*>/gi, '\n')
      .replace(/<[^>]*>/g, ' '),
  )
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n[\s]*/g, '\n')
    .trim();
  const published = publishedDate(source);
  return {
    title: (title && stripTags(title)) || (heading && stripTags(heading)) || undefined,
    tags: [],
    updated: published,
    content: text,
    text,
  };
}

// Tag by tag: one pattern spanning `<meta[^>]+ name=... [^>]* content=` backtracked in cubic time
// over a long unclosed tag.
function publishedDate(html: string): string | undefined {
  for (const [tag] of html.matchAll(/<meta\b[^<>]*>/gi)) {
    if (!/\b(?:name|property)=["'](?:date|article:modified_time|last-modified)["']/i.test(tag)) continue;
    const content = /\bcontent=["']([^"']+)/i.exec(tag)?.[1];
    if (content) return content;
  }
  return undefined;
}

/** Parses a plain-text file: the first non-empty line, when short, is the title. */
export function parsePlainText(source: string): ParsedText {
  const firstLine = source
    .split(/\r?\n/)
    .find((line) => line.trim())
    ?.trim();
  const title = firstLine && firstLine.length <= 120 ? firstLine : undefined;
  return { title, tags: [], updated: undefined, content: source.trim(), text: source.replace(/[ \t]+/g, ' ').trim() };
}
