import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findQuotes, splitRequest } from '../../../../src/llm/offline/split.ts';

const texts = (request: string) => splitRequest(request).map((part) => part.text);

test('a compound request splits at commas and "and" that start a new verb', () => {
  assert.deepEqual(
    texts(
      'Create a high urgency incident for the login failure, search for known fixes for SSO loops, and tell me how angry this customer is: "We cannot log in and I am furious!"',
    ),
    [
      'Create a high urgency incident for the login failure',
      'search for known fixes for SSO loops',
      'tell me how angry this customer is: "We cannot log in and I am furious!"',
    ],
  );
});

test('"and" between operands or nouns does not split', () => {
  assert.deepEqual(texts('add 17 and 25'), ['add 17 and 25']);
  assert.deepEqual(texts('search for fixes for VPN and Wi-Fi drops'), ['search for fixes for VPN and Wi-Fi drops']);
  assert.deepEqual(texts('find incidents opened since Monday and updated today'), ['find incidents opened since Monday and updated today']);
});

test('quotes are never split, whatever their marks', () => {
  for (const [open, close] of [
    ['"', '"'],
    ["'", "'"],
    ['“', '”'],
  ]) {
    const request = `echo ${open}stop. Then create an incident; and search${close} and summarise ${open}a. b.${close}`;
    assert.deepEqual(texts(request), [`echo ${open}stop. Then create an incident; and search${close}`, `summarise ${open}a. b.${close}`]);
  }
});

test('"then", "after that" and semicolons sequence the parts', () => {
  const parts = splitRequest(
    'Create an incident for the outage, then set that incident to In Progress; after that search the web for fixes',
  );
  assert.deepEqual(
    parts.map((part) => [part.text, part.sequenced]),
    [
      ['Create an incident for the outage', false],
      ['set that incident to In Progress', true],
      ['search the web for fixes', true],
    ],
  );
});

test('sentences split, but the text after a colon stays one payload', () => {
  assert.deepEqual(texts('The VPN keeps dropping. Can you open a ticket for it?'), [
    'The VPN keeps dropping.',
    'Can you open a ticket for it?',
  ]);
  assert.deepEqual(texts('tl;dr: The deploy failed. Ops rolled back. All good now.'), [
    'tl;dr: The deploy failed. Ops rolled back. All good now.',
  ]);
  const [payload] = findQuotes('Summarise this: The deploy failed. Ops rolled back.');
  assert.equal(payload?.text, 'The deploy failed. Ops rolled back.');
  assert.equal(payload?.payload, true);
  assert.deepEqual(findQuotes('Do two things: create an incident and search'), [], 'a list of actions after a colon is no payload');
});

test('apostrophes are not quotes', () => {
  assert.deepEqual(findQuotes("what's the customer's mood? don't guess"), []);
});

// Regression: `\s*,?\s+after` split every run of spaces three ways and each separator was tried at
// every space (4,000 spaces took 40 s); each comma re-read the whole rest of the request.
// Speed is the bench's business; the timeout only stops a blow-up.
test('long runs of spaces, commas and semicolons are split in linear time, as before', { timeout: 30_000 }, () => {
  for (const request of ['summarize' + ' '.repeat(100_000) + 'x', 'find x' + ', '.repeat(20_000) + 'y', 'find ' + 'a ,; '.repeat(20_000)]) {
    assert.ok(splitRequest(request).length > 0, JSON.stringify(request.slice(0, 12)));
  }
  assert.deepEqual(texts('find the VPN fix   ,   and then   open a ticket ;  close it'), ['find the VPN fix', 'open a ticket', 'close it']);
  assert.deepEqual(texts('search for fixes ,  after that   open a ticket'), ['search for fixes', 'open a ticket']);
});

test('a payload after a colon ends where a new action joins on (README example)', () => {
  assert.deepEqual(texts('Create a high urgency incident: the VPN is down for the Paris office, and search for known VPN fixes'), [
    'Create a high urgency incident: the VPN is down for the Paris office',
    'search for known VPN fixes',
  ]);
  const [payload] = findQuotes('Create a high urgency incident: the VPN is down for the Paris office, and search for known VPN fixes');
  assert.equal(payload?.text, 'the VPN is down for the Paris office');
  assert.deepEqual(texts('Summarise this: The deploy failed, and ops rolled back.'), [
    'Summarise this: The deploy failed, and ops rolled back.',
  ]);
});

test('bullet and numbered lists split into their items; an intro that only introduces is dropped', () => {
  assert.deepEqual(texts('1. check INC0010003\n2. check INC0010010'), ['check INC0010003', 'check INC0010010']);
  assert.deepEqual(texts("Please do the following:\n• search incidents for 'MFA push'\n- search the KB for MFA"), [
    "search incidents for 'MFA push'",
    'search the KB for MFA',
  ]);
  assert.deepEqual(texts('(1) log an incident: Excel crashes on open (2) search the KB for excel crashes'), [
    'log an incident: Excel crashes on open',
    'search the KB for excel crashes',
  ]);
  const steps = splitRequest('Steps:\n1) find the incident about the guest Wi-Fi\n2) close it');
  assert.deepEqual(
    steps.map((part) => [part.index, part.text]),
    [
      [0, 'find the incident about the guest Wi-Fi'],
      [1, 'close it'],
    ],
  );
});

test("a list of items without verbs takes the intro's verb", () => {
  assert.deepEqual(texts('New incidents to log:\n1. Projector in room Orion shows no signal\n2. Phone in room Atlas has no dial tone'), [
    'New incidents to log: Projector in room Orion shows no signal',
    'New incidents to log: Phone in room Atlas has no dial tone',
  ]);
});

test('arrows and "if so" sequence the parts', () => {
  const parts = splitRequest("search incidents 'backup' -> get the first one");
  assert.deepEqual(
    parts.map((part) => [part.text, part.sequenced]),
    [
      ["search incidents 'backup'", false],
      ['get the first one', true],
    ],
  );
  assert.deepEqual(
    splitRequest('Does the KB have anything on AADSTS errors? If so, add the link to INC0010006 as a work note.').map((part) => [
      part.text,
      part.sequenced,
    ]),
    [
      ['Does the KB have anything on AADSTS errors?', false],
      ['add the link to INC0010006 as a work note.', true],
    ],
  );
});

test('a text set off by lines of dashes is quoted whole, quotes inside it included', () => {
  const [block] = findQuotes('Names in it?\n\n---\nDear team, this is "Laura".\nSee you.\n---\n\nThanks');
  assert.equal(block?.text, 'Dear team, this is "Laura".\nSee you.');
  assert.equal(block?.payload, false);
});

test('a payload after a colon keeps its relative clauses and the plain clauses after its semicolons', () => {
  assert.deepEqual(texts('Summarize this: The app rejects photos larger than 5 MB, which covers most phones. A fix is planned.'), [
    'Summarize this: The app rejects photos larger than 5 MB, which covers most phones. A fix is planned.',
  ]);
  assert.deepEqual(texts('Summarize this: We checked permissions; the group still has editor rights. It works on the web.'), [
    'Summarize this: We checked permissions; the group still has editor rights. It works on the web.',
  ]);
  // A semicolon before a new action, or "then", still ends it.
  assert.deepEqual(texts('add a note: technician booked; close INC0010002'), ['add a note: technician booked', 'close INC0010002']);
  assert.deepEqual(texts('add a note: printer fixed; then close it'), ['add a note: printer fixed', 'close it']);
});

test('a lone "Also," between two questions is no part of its own', () => {
  const texts = (text: string) => splitRequest(text).map((part) => part.text);
  assert.deepEqual(texts('What is the population of Paris? Also, what is the capital of Spain?'), [
    'What is the population of Paris?',
    'what is the capital of Spain?',
  ]);
  assert.deepEqual(texts('Find the GDP of France. Also find the GDP of Italy.'), [
    'Find the GDP of France.',
    'Also find the GDP of Italy.',
  ]);
});
