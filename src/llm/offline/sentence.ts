import { findQuotes, type Quote } from './split.ts';
import { tokenize, type Token } from './tokenize.ts';

/**
 * Whether text after a colon lists values rather than saying something ("two numbers: 40 and 50",
 * "sides: 3, 4 and 5"): a third or more of its words hold digits. Such a payload stays in the sentence for numbers to read.
 */
function isValueList(text: string): boolean {
  const words = tokenize(text);
  return words.length > 0 && words.filter((token) => /\d/.test(token.text)).length * 3 >= words.length;
}

/** A part of a request being read: its words, quotes, and the spans already turned into arguments. */
export class Sentence {
  readonly text: string;
  readonly tokens: readonly Token[];
  readonly quotes: readonly Quote[];
  readonly #consumed: [number, number][] = [];

  constructor(text: string) {
    this.text = text;
    this.quotes = findQuotes(text).filter((quote) => !quote.payload || !isValueList(quote.text));
    this.tokens = tokenize(text).filter((token) => !this.quotes.some((quote) => token.start >= quote.start && token.end <= quote.end));
  }

  /** Whether no part of [start, end) was used yet (quotes count as used for words). */
  isFree(start: number, end: number): boolean {
    return !this.#consumed.some(([from, to]) => start < to && end > from);
  }

  consume(start: number, end: number): void {
    if (end > start) this.#consumed.push([start, end]);
  }

  /** Tokens outside quotes and not used yet. */
  freeTokens(): Token[] {
    return this.tokens.filter((token) => this.isFree(token.start, token.end));
  }

  /** Index in `tokens` of the token starting at or after an offset, or -1. */
  tokenAt(offset: number): number {
    return this.tokens.findIndex((token) => token.end > offset);
  }

  /** The text with used spans and quotes replaced by a marker, for the leftover words. */
  remainder(marker = ' \uE000 '): string {
    const spans = [...this.#consumed, ...this.quotes.map((quote): [number, number] => [quote.start, quote.end])].sort(
      (a, b) => a[0] - b[0],
    );
    let out = '';
    let at = 0;
    for (const [from, to] of spans) {
      if (to <= at) continue;
      if (from > at) out += this.text.slice(at, from);
      out += marker;
      at = Math.max(at, to);
    }
    return out + this.text.slice(at);
  }
}
