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

test('numeric dates year first or month first, a month with a dot, a year before the month; a later day shares the written year', () => {
  const read = (text: string) => findDates(text, new Date('2026-12-02T12:00:00Z')).map((m) => m.date.toISOString().slice(0, 10));
  assert.deepEqual(read('air quality in London 2022/08/16?'), ['2022-08-16']);
  assert.deepEqual(read('born 01-01-1980'), ['1980-01-01']);
  assert.deepEqual(read('on 25/12/2022'), ['2022-12-25'], 'a first number over 12 is the day');
  assert.deepEqual(read('the price at closing March.11, 2022'), ['2022-03-11']);
  assert.deepEqual(read('from 2023 April 4th to April 8th'), ['2023-04-04', '2023-04-08']);
  assert.deepEqual(read('version 1.2.3'), []);
});

test('a date is written in the layout the description spells out', () => {
  const mention = findDates('on 2021-01-05', new Date('2026-12-02T12:00:00Z'))[0]!;
  assert.equal(formatDate(mention, [], 'MM-DD-YYYY'), '01-05-2021');
  assert.equal(formatDate(mention, [], 'MM-YYYY'), '01-2021');
  assert.equal(formatDate(mention, []), '2021-01-05');
});

test('a range of days before one month ("from 12 to 15 December", "5-7 Dec") is two dates, the second its end', () => {
  const read = (text: string) => findDates(text, NOW).map((mention) => [mention.date.toISOString().slice(0, 10), mention.bound]);
  assert.deepEqual(read('from 12 to 15 December'), [
    ['2026-12-12', 'since'],
    ['2026-12-15', 'until'],
  ]);
  assert.deepEqual(read('hotels for 5-7 Dec 2027'), [
    ['2027-12-05', 'since'],
    ['2027-12-07', 'until'],
  ]);
});

test('a day without a year is a past one, unless it is only weeks ahead', () => {
  const read = (text: string) => findDates(text, NOW).map((mention) => mention.date.toISOString().slice(0, 10));
  assert.deepEqual(read('flights on Dec 12'), ['2026-12-12']);
  assert.deepEqual(read('opened since March 3'), ['2026-03-03']);
  assert.deepEqual(read('closed since Jan 20'), ['2026-01-20'], 'two months ahead is too far: this year');
});
