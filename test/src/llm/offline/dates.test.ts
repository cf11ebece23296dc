import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findDates, formatDate } from '../../../../src/llm/offline/dates.ts';

const NOW = new Date('2026-11-20T10:00:00Z');

test('absolute and relative dates, each counted once, with the bound their lead-in gives', () => {
  const mentions = findDates('opened since yesterday until 2026-11-19T18:00:00Z, not on March 3', NOW);
  assert.deepEqual(
    mentions.map((mention) => [mention.date.toISOString(), mention.bound, mention.dayPrecision]),
    [
      ['2026-11-19T00:00:00.000Z', 'since', true],
      ['2026-11-19T18:00:00.000Z', 'until', false],
      ['2026-03-03T00:00:00.000Z', 'since', true],
    ],
  );
});

// Regression: each match was checked against every mention found before it, quadratic in a pasted
// log full of timestamps.
// Speed is the bench's business; the timeout only stops a blow-up.
test('a text full of dates is read in linear time', { timeout: 30_000 }, () => {
  const mentions = findDates('2026-01-02 yesterday '.repeat(30_000), NOW);
  assert.equal(mentions.length, 60_000);
});

test('chrono-node refines what the rules find: a day with its time, "next Monday" ahead, a date-only schema keeps the day', () => {
  const read = (text: string) => findDates(text, NOW).map((mention) => [mention.date.toISOString(), mention.dayPrecision]);
  assert.deepEqual(read('incidents opened since yesterday 3pm'), [['2026-11-19T15:00:00.000Z', false]]);
  assert.deepEqual(read('on March 3 at 14:30'), [['2026-03-03T14:30:00.000Z', false]]);
  assert.deepEqual(read('meet next Monday'), [['2026-11-23T00:00:00.000Z', true]]);
  const [timed] = findDates('tomorrow at 9am', NOW);
  assert.ok(timed);
  assert.equal(formatDate(timed, ['date']), '2026-11-21');
  assert.equal(formatDate(timed, ['date-time']), '2026-11-21T09:00:00Z');
});
