import type { TimeRange } from '../backend.ts';

const DAY_MS = 86_400_000;
const RANGE_DAYS: Readonly<Record<TimeRange, number>> = { day: 1, week: 7, month: 31, year: 366 };

/** Half-life, in days, of the recency boost `topic: news` applies. */
export const NEWS_HALF_LIFE_DAYS = 30;

/** `https://www.Example.com/a` or `Example.com` -> `example.com`. */
export function normaliseDomain(input: string): string {
  const trimmed = input.trim().toLowerCase();
  const host = URL.canParse(trimmed) ? new URL(trimmed).hostname : (trimmed.split('/')[0] ?? '');
  return host.replace(/^www\./, '').replace(/\.$/, '');
}

/** The host of a url, without `www.`; empty for `file:` urls. */
export function hostOf(url: string): string {
  return URL.canParse(url) ? new URL(url).hostname.toLowerCase().replace(/^www\./, '') : '';
}

/** True when `host` is `domain` or one of its subdomains. */
export function hostMatches(host: string, domain: string): boolean {
  return domain !== '' && (host === domain || host.endsWith(`.${domain}`));
}

/** A predicate over urls for Tavily-style include/exclude domain lists (already normalised). */
export function domainFilter(include: readonly string[], exclude: readonly string[]): (url: string) => boolean {
  return (url) => {
    const host = hostOf(url);
    if (include.length > 0 && !include.some((domain) => hostMatches(host, domain))) return false;
    return !exclude.some((domain) => hostMatches(host, domain));
  };
}

function ageDays(updated: string, now: Date): number {
  const time = Date.parse(updated);
  return Number.isNaN(time) ? Number.POSITIVE_INFINITY : Math.max(0, (now.getTime() - time) / DAY_MS);
}

/** True when a document updated on `updated` falls inside the window ending `now`. */
export function withinTimeRange(updated: string, range: TimeRange, now: Date): boolean {
  return ageDays(updated, now) <= RANGE_DAYS[range];
}

/** 1 for a document updated today, halving every {@link NEWS_HALF_LIFE_DAYS} days, never below 0.25. */
export function recencyFactor(updated: string, now: Date): number {
  const age = ageDays(updated, now);
  return Number.isFinite(age) ? 0.25 + 0.75 * 0.5 ** (age / NEWS_HALF_LIFE_DAYS) : 0.25;
}

const ANNOUNCEMENT_TAGS = new Set(['notice', 'announcement', 'news', 'security alert']);
/** Extra weight `topic: news` gives documents tagged as notices or announcements. */
export const ANNOUNCEMENT_BOOST = 1.5;

/** The weight `topic: news` applies: recency, times {@link ANNOUNCEMENT_BOOST} for announcements. */
export function newsWeight(updated: string, tags: readonly string[], now: Date): number {
  const announcement = tags.some((tag) => ANNOUNCEMENT_TAGS.has(tag));
  return recencyFactor(updated, now) * (announcement ? ANNOUNCEMENT_BOOST : 1);
}
