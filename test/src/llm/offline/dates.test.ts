import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findDates } from '../../../../src/llm/offline/dates.ts';

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
