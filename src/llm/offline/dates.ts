import { createRequire } from 'node:module';
import type * as Chrono from 'chrono-node/en';
import { BoundedMap } from './memo.ts';
import { NUMBER_WORDS } from './numbers.ts';

/** A date found in a request: its span, the instant (UTC) and which bound it sets. */
export interface DateMention {
  readonly start: number;
  readonly end: number;
  readonly date: Date;
  readonly bound: 'since' | 'until';
  /** Whole days (print as a date when the schema allows) or a precise instant. */
  readonly dayPrecision: boolean;
}

const DAY_MS = 86_400_000;
/** How far ahead a date written without a year may be and still be this year's. */
const SOON_MS = 45 * DAY_MS;
const UNITS = { minute: 60_000, hour: 3_600_000, day: DAY_MS, week: 7 * DAY_MS, month: 30 * DAY_MS, year: 365 * DAY_MS } as const;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const COUNT = `(\\d+|${Object.keys(NUMBER_WORDS).join('|')})`;
const UNTIL_WORDS = /(?:\b(?:until|till|before|up\s+to|through|by|to)|\d\s*[-–])\s*$/i;
const MONTH = '(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?';

function startOfDay(date: Date): Date {
  return new Date(Math.floor(date.getTime() / DAY_MS) * DAY_MS);
}

function count(word: string): number {
  return /^\d+$/.test(word) ? Number(word) : (NUMBER_WORDS[word.toLowerCase()] ?? 1);
}

interface Rule {
  readonly pattern: RegExp;
  /** `year`: the text wrote the year, which a later date without one shares ("from 2023 April 4th to April 8th"). */
  readonly resolve: (match: RegExpMatchArray, now: Date) => { date: Date; dayPrecision: boolean; year?: boolean } | undefined;
}

const RULES: readonly Rule[] = [
  {
    pattern: /\b(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?\b/gi,
    resolve: (match) => {
      const [, day, time, zone] = match;
      const date = new Date(time ? `${day}T${time}${zone ?? 'Z'}` : `${day}T00:00:00Z`);
      return Number.isNaN(date.getTime()) ? undefined : { date, dayPrecision: !time };
    },
  },
  {
    // "2022/08/16", "08/16/2022", "01-01-1980": year first, else month first (the American order), a day over 12 first when it is.
    pattern: /\b(?:(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})|(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}))\b/g,
    resolve: (match) => {
      const [, yearA, monthA, dayA, first, second, yearB] = match;
      const dayFirst = Number(first) > 12;
      const year = Number(yearA ?? yearB);
      const month = Number(monthA ?? (dayFirst ? second : first));
      const day = Number(dayA ?? (dayFirst ? first : second));
      if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
      return { date: new Date(Date.UTC(year, month - 1, day)), dayPrecision: true, year: true };
    },
  },
  {
    pattern: /\b(today|yesterday|tomorrow)\b/gi,
    resolve: (match, now) => {
      const shift = { today: 0, yesterday: -1, tomorrow: 1 }[(match[1] ?? '').toLowerCase() as 'today'] ?? 0;
      return { date: new Date(startOfDay(now).getTime() + shift * DAY_MS), dayPrecision: true };
    },
  },
  {
    pattern: new RegExp(`\\b${COUNT}\\s+(minute|hour|day|week|month|year)s?\\s+ago\\b`, 'gi'),
    resolve: (match, now) => relative(now, count(match[1] ?? '1'), match[2] ?? 'day'),
  },
  {
    pattern: new RegExp(
      `\\b(?:(?:in|over|during|within|for)\\s+)?(?:the\\s+)?(?:last|past|previous)\\s+(?:${COUNT}\\s+)?(minute|hour|day|week|month|year)s?\\b`,
      'gi',
    ),
    resolve: (match, now) => relative(now, count(match[1] ?? '1'), match[2] ?? 'day'),
  },
  {
    pattern: /\bthis\s+(week|month|year)\b/gi,
    resolve: (match, now) => {
      const today = startOfDay(now);
      const unit = (match[1] ?? 'week').toLowerCase();
      if (unit === 'week') return { date: new Date(today.getTime() - ((today.getUTCDay() + 6) % 7) * DAY_MS), dayPrecision: true };
      const month = unit === 'month' ? today.getUTCMonth() : 0;
      return { date: new Date(Date.UTC(today.getUTCFullYear(), month, 1)), dayPrecision: true };
    },
  },
  {
    pattern: new RegExp(`\\b(?:last\\s+|on\\s+)?(${WEEKDAYS.join('|')})\\b`, 'gi'),
    resolve: (match, now) => {
      const today = startOfDay(now);
      const wanted = WEEKDAYS.indexOf((match[1] ?? '').toLowerCase());
      const back = (today.getUTCDay() - wanted + 7) % 7 || 7;
      return { date: new Date(today.getTime() - back * DAY_MS), dayPrecision: true };
    },
  },
  {
    // "March 3", "3rd of March 2024", "Jun.20,2023", "2023 April 4th".
    pattern: new RegExp(
      `\\b(?:(\\d{4}),?\\s+)?(?:${MONTH}(?:\\s+|(?<=\\.))(\\d{1,2})(?:st|nd|rd|th)?|(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH})(?:,?\\s*(\\d{4}))?\\b`,
      'gi',
    ),
    resolve: (match, now) => {
      const [, yearBefore, monthA, dayA, dayB, monthB, yearAfter] = match;
      const year = yearAfter ?? yearBefore;
      const month = MONTHS.indexOf((monthA ?? monthB ?? '').slice(0, 3).toLowerCase());
      const day = Number(dayA ?? dayB);
      if (month < 0 || day < 1 || day > 31) return undefined;
      let date = new Date(Date.UTC(year ? Number(year) : now.getUTCFullYear(), month, day));
      // Without a year a date is a past one, unless it is only weeks ahead ("on Dec 12" said in late November).
      if (!year && date.getTime() > now.getTime() + SOON_MS) date = new Date(Date.UTC(now.getUTCFullYear() - 1, month, day));
      return { date, dayPrecision: true, year: year !== undefined };
    },
  },
  {
    // "from 12 to 15 December", "5-7 Dec": the first day of a range takes the month (and year) written after the second.
    pattern: new RegExp(
      `\\b(\\d{1,2})(?:st|nd|rd|th)?(?=\\s*(?:-|–|to|until|till|through)\\s*\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}(?:,?\\s*(\\d{4}))?\\b)`,
      'gi',
    ),
    resolve: (match, now) => {
      const [, dayText, monthText, year] = match;
      const month = MONTHS.indexOf((monthText ?? '').slice(0, 3).toLowerCase());
      const day = Number(dayText);
      if (month < 0 || day < 1 || day > 31) return undefined;
      let date = new Date(Date.UTC(year ? Number(year) : now.getUTCFullYear(), month, day));
      if (!year && date.getTime() > now.getTime() + SOON_MS) date = new Date(Date.UTC(now.getUTCFullYear() - 1, month, day));
      return { date, dayPrecision: true, year: year !== undefined };
    },
  },
];

function relative(now: Date, amount: number, unit: string): { date: Date; dayPrecision: boolean } {
  const key = unit.toLowerCase() as keyof typeof UNITS;
  const exact = new Date(now.getTime() - amount * UNITS[key]);
  return key === 'minute' || key === 'hour' ? { date: exact, dayPrecision: false } : { date: startOfDay(exact), dayPrecision: true };
}

// Loaded on first use, English only (the package root loads all 16 locales): most requests name no
// date, and the CLI's start-up should not pay for the library.
let chrono: typeof Chrono | undefined;
const loadChrono = () => (chrono ??= createRequire(import.meta.url)('chrono-node/en') as typeof Chrono);

/** chrono-node reads texts up to this long (a pasted log is read by the rules alone). */
const MAX_CHRONO_TEXT = 2_000;

/**
 * What chrono-node reads better than the rules: a longer reading of a rule's date replaces it
 * ("yesterday 3pm", "Nov 19 at 14:30" keep the rule's day with chrono's time; "next Monday" is
 * chrono's, ahead rather than behind). A bare time or number is no date to chrono here.
 */
function chronoDates(text: string, now: Date, found: DateMention[]): DateMention[] {
  // Only refinements (see below): without a rule's date there is nothing to refine, and chrono's
  // first parse compiles about 100 ms of regular expressions.
  if (found.length === 0 || text.length > MAX_CHRONO_TEXT || !/\p{L}/u.test(text)) return found;
  let out = found;
  for (const result of loadChrono().parse(text, { instant: now, timezone: 'UTC' })) {
    const start = result.index;
    const end = start + result.text.length;
    const known = result.start.isCertain('day') || result.start.isCertain('weekday') || result.start.isCertain('month');
    if (!known && !/\b(?:today|tomorrow|yesterday|tonight|week|month|year|ago)\b/i.test(result.text)) continue;
    const timed = result.start.isCertain('hour');
    const covered = out.filter((mention) => mention.start < end && mention.end > start);
    // A range ("yesterday until 18:00") is the rules' two dates, each with its bound.
    if (covered.length > 1 || covered.some((mention) => mention.start < start || mention.end > end)) continue;
    // Only refinements: dates chrono finds alone ("at 5", "the 3rd") were more often no date of the request.
    if (covered.length === 0) continue;
    if (result.text.length <= Math.max(...covered.map((m) => m.end - m.start))) continue;
    const instant = result.start.date();
    // The rule's day stands (a date without a year is a past one here), with chrono's time of day on it.
    const [day] = covered;
    const date = !timed
      ? startOfDay(instant)
      : covered.length === 1 && day?.dayPrecision
        ? new Date(startOfDay(day.date).getTime() + (instant.getTime() - startOfDay(instant).getTime()))
        : instant;
    const bound = UNTIL_WORDS.test(text.slice(Math.max(0, start - 16), start).replace(/\bthe\s+$/i, '')) ? 'until' : 'since';
    out = [...out.filter((mention) => !covered.includes(mention)), { start, end, date, bound, dayPrecision: !timed }];
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * Dates in a text, absolute ("2025-01-31", "March 3") or relative to `now` ("since yesterday 3pm",
 * "next Monday"). A month and day without a year after a date that wrote one ("from 2023 April 4th
 * to April 8th") is in that year.
 */
export function findDates(text: string, now: Date): DateMention[] {
  // Each candidate tool's filling reads the same part again, and chrono's parse is the costly step.
  const key = `${now.getTime()}\u0000${text}`;
  let mentions = dateLists.get(key);
  if (mentions === undefined) {
    mentions = datesIn(text, now);
    dateLists.set(key, mentions);
  }
  if (mentions.length > 0) datesFound += 1;
  return mentions.slice();
}

// Whether a text has any date does not depend on `now` (only the dates found do): see datesFoundSoFar.
let datesFound = 0;

/**
 * How many `findDates` calls so far found a date: unchanged over a computation means it read no
 * date, so its result is the same at any `now` (what fillMemo.ts relies on to keep it).
 */
export function datesFoundSoFar(): number {
  return datesFound;
}

const dateLists = new BoundedMap<string, readonly DateMention[]>(512);

function datesIn(text: string, now: Date): DateMention[] {
  const found: DateMention[] = [];
  const years: { start: number; year: number }[] = [];
  // Characters already part of a mention: checking each match against every earlier mention was
  // quadratic in a long text full of dates (a pasted log).
  const taken = new Uint8Array(text.length);
  for (const rule of RULES) {
    for (const match of text.matchAll(rule.pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (taken.subarray(start, end).includes(1)) continue;
      const resolved = rule.resolve(match, now);
      if (!resolved) continue;
      const bound = UNTIL_WORDS.test(text.slice(Math.max(0, start - 12), start)) ? 'until' : 'since';
      const { date, dayPrecision, year } = resolved;
      if (year) years.push({ start, year: date.getUTCFullYear() });
      const written = year === false ? years.filter((other) => other.start < start).at(-1)?.year : undefined;
      const shared = written === undefined ? date : new Date(Date.UTC(written, date.getUTCMonth(), date.getUTCDate()));
      found.push({ start, end, bound, date: shared, dayPrecision });
      taken.fill(1, start, end);
    }
  }
  return chronoDates(
    text,
    now,
    found.sort((a, b) => a.start - b.start),
  );
}

/** A day written in a layout of `YYYY`, `YY`, `MM` and `DD` parts ("MM-DD-YYYY"). */
function layDate(date: Date, layout: string): string {
  const parts: Readonly<Record<string, string>> = {
    YYYY: String(date.getUTCFullYear()),
    YY: String(date.getUTCFullYear() % 100).padStart(2, '0'),
    MM: String(date.getUTCMonth() + 1).padStart(2, '0'),
    DD: String(date.getUTCDate()).padStart(2, '0'),
  };
  return layout.replace(/YYYY|YY|MM|DD/g, (part) => parts[part] ?? part);
}

/**
 * A date as the schema wants it: in the layout its description spells out when days suffice,
 * `YYYY-MM-DD` when a date format is accepted and days suffice (or only dates are), else ISO 8601 UTC.
 */
export function formatDate(mention: DateMention, formats: readonly string[], layout?: string): string {
  if (layout && mention.dayPrecision) return layDate(mention.date, layout);
  const iso = mention.date.toISOString().replace(/\.000Z$/, 'Z');
  const dateOnly = formats.length === 0 || formats.includes('date');
  // A schema that takes only dates gets the day even of a timed mention ("tomorrow 3pm" -> its day).
  const onlyDates = formats.includes('date') && !formats.includes('date-time');
  return (mention.dayPrecision && dateOnly) || onlyDates ? iso.slice(0, 10) : iso;
}
