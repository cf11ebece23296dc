/**
 * Shorthand people type in terse requests. "INC0010007 -> urgency high": an arrow after the
 * identifier a clause opens with says what that record is to become, as a colon would
 * ("INC0010007: urgency high"). General notation, read from the layout, not from any tool set.
 */

import { isWord } from './lexicon/index.ts';

/** A clause's opening identifier (a code with a digit) and the arrow after it. */
const ARROW_AFTER_ID = /(^|[;\n]\s*|[•*-]\s+|,\s+)([\p{L}]*\d[\p{L}\p{N}_-]*|[\p{L}][\p{L}_-]*\d[\p{L}\p{N}_-]*)\s*(?:->|=>|→|⇒)\s*/gu;

/** A clause's opening identifier, a colon, and the word after it. */
const ID_COLON_WORD = /(^|[;\n]\s*|[•*-]\s+|,\s+)([\p{L}]*\d[\p{L}\p{N}_-]*|[\p{L}][\p{L}_-]*\d[\p{L}\p{N}_-]*):\s+([\p{L}]+)\b/gu;

/**
 * The request with an arrow after an opening identifier written as a colon, and an identifier
 * before the verb it is the object of put after it ("INC0010016: assign to Ann" -> "assign
 * INC0010016 to Ann"): the verb opens the clause, as an imperative does. Only words the
 * dictionary knows as verbs and never as nouns move ("INC0010007: urgency high" stays).
 */
export function arrowsAsColons(text: string): string {
  return text
    .replace(ARROW_AFTER_ID, (_match, before: string, id: string) => `${before}${id}: `)
    .replace(ID_COLON_WORD, (match, before: string, id: string, word: string) =>
      isWord(word, 'verb') && !isWord(word, 'noun') && !isWord(word, 'adj') ? `${before}${word} ${id}` : match,
    );
}

/** "Create two incidents: one for X and one for Y": a count of things, a colon, then "one for ..." each. */
const COUNTED_ONES =
  /^([\s\S]*?)\b(?:two|three|four|five|[2-5]|several|a few|some)\s+([\p{L}-]+s)\s*:\s*(?:one|the first)\s+(for|about|on|with|to)\s+([\s\S]+)$/iu;
/** Where the next "one for ..." of such a list begins. */
const NEXT_ONE =
  /\s*(?:,|;)?\s*(?:and\s+|then\s+)?(?:one|another|a\s+second|a\s+third|the\s+second|the\s+third|the\s+other|the\s+last)\s+(?:for|about|on|with|to)\s+/giu;

/** The singular of a regular plural ("incidents", "boxes", "entries"). */
function singular(plural: string): string {
  if (/ies$/i.test(plural)) return plural.slice(0, -3) + 'y';
  if (/(?:ch|sh|x|ss|z)es$/i.test(plural)) return plural.slice(0, -2);
  return plural.slice(0, -1);
}

/**
 * "Create two incidents: one for the monitor and one for the keyboard" -> "Create an incident for
 * the monitor; create an incident for the keyboard": each "one" is a thing of its own, with the
 * words that ask for it.
 */
export function distributedOnes(text: string): string {
  const match = COUNTED_ONES.exec(text);
  if (!match) return text;
  const [, lead = '', plural = '', preposition = '', rest = ''] = match;
  const noun = singular(plural);
  const items = rest
    .split(NEXT_ONE)
    .map((item) => item.trim().replace(/[.!]+$/, ''))
    .filter(Boolean);
  if (items.length < 2) return text;
  const article = /^[aeiou]/i.test(noun) ? 'an' : 'a';
  const asks = lead.trim();
  return items
    .map((item, i) => {
      const ask = `${asks} ${article} ${noun} ${preposition} ${item}`.trim();
      return i === 0 ? ask : ask.charAt(0).toLowerCase() + ask.slice(1);
    })
    .join('; ');
}

/** "Two things please:", "A couple of quick questions:": a lead that counts the requests after it. */
const COUNTING_LEAD =
  /^\s*(?:(?:here\s+are|i\s+have|i've\s+got|got)\s+)?(?:two|three|four|five|[2-5]|a\s+few|a\s+couple(?:\s+of)?|several|some)\s+(?:[\p{L}]+\s+)?(?:things|requests|questions|tasks|items)\b(?:\s*,?\s*(?:please|pls|for\s+you|today))*\s*:\s*/iu;

/** The request without a lead that only counts what it asks ("Two things please: close A1 and ..."). */
export function withoutCountingLead(text: string): string {
  const rest = text.replace(COUNTING_LEAD, '');
  return rest.trim() ? rest : text;
}

/** A clause that is only a thing and a "please" ("ticket pls", "a new ticket please"), or a want without its subject ("need a ticket"). */
const THING_PLEASE = /(^|[.!?;,]\s+|\n\s*)(?:(a|an|another|new|a\s+new)\s+)?([\p{L}-]+)\s+(?:pls|plz|please)\s*([.!]*)\s*$/iu;
const WANT_NO_SUBJECT = /(^|[.!?;,]\s+|\n\s*)(?:need|want)\s+(?=(?:a|an|another|new)\s)/giu;

/** A comma before the want becomes a full stop: the want is a sentence of its own. */
const sentenceBreak = (before: string) => (/^,/.test(before) ? '. ' : before);

/**
 * "..., ticket pls" -> "... . I need a ticket": a thing asked for with a "please" and no verb, or a
 * want said without its "I", is a want for a new one of that thing, said in full.
 */
export function thingsWanted(text: string): string {
  return text
    .replace(THING_PLEASE, (match, before: string, article: string | undefined, noun: string, end: string) =>
      isWord(noun, 'noun') && !/^(?:help|thanks|thank|it|this|that)$/i.test(noun)
        ? `${sentenceBreak(before)}I need ${article && !/^new$/i.test(article) ? article : /^[aeiou]/i.test(noun) && !article ? 'an' : 'a'}${article && /^new$/i.test(article) ? ' new' : ''} ${noun}${end}`
        : match,
    )
    .replace(WANT_NO_SUBJECT, (_match, before: string) => `${sentenceBreak(before)}I need `);
}
