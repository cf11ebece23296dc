import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fillArguments, type FillContext } from '../../../../src/llm/offline/args.ts';
import { fillArgumentsMemo, memoKey } from '../../../../src/llm/offline/fillMemo.ts';
import { toToolSpec } from '../../../../src/llm/offline/toolIndex.ts';

// A tool of no Switchboard agent: filling reads only the JSON schema.
const ticket = toToolSpec({
  type: 'function',
  function: {
    name: 'helpdesk__open_ticket',
    description: 'Open a support ticket.',
    parameters: {
      type: 'object',
      properties: {
        title: { type: 'string', description: 'One-line summary of the ticket' },
        urgency: { type: 'string', enum: ['high', 'medium', 'low'] },
        ticket_id: { type: 'string', pattern: '^HD-\\d{4,}$', description: 'Ticket key, e.g. HD-1234' },
        updated_since: { type: 'string', format: 'date-time' },
        tags: { type: 'array', items: { type: 'string' } },
      },
      required: ['title', 'ticket_id'],
    },
  },
});

const context = (now: string, more: Partial<FillContext> = {}): FillContext => ({ now: new Date(now), refers: false, ...more });
const plain = (filled: ReturnType<typeof fillArguments>) => ({
  args: filled.args,
  missing: filled.missing.map((prop) => prop.name),
  missingRequired: filled.missingRequired,
  referenced: filled.referenced,
  cues: filled.cues,
  patternHits: filled.patternHits,
  fanOut: filled.fanOut,
  sets: filled.sets,
});

test('a remembered filling is the same as a fresh one, and each caller gets its own values', () => {
  const text = 'open a high urgency ticket titled "printer jam on floor 3"';
  const fresh = plain(fillArguments(text, ticket, context('2026-11-20T10:00:00Z')));
  const first = fillArgumentsMemo(text, ticket, context('2026-11-20T10:00:00Z'));
  assert.deepEqual(plain(first), fresh);
  first.args['urgency'] = 'changed by a caller';
  const again = fillArgumentsMemo(text, ticket, context('2026-11-21T11:00:00Z'));
  assert.deepEqual(plain(again), fresh);
  // The props missing are the tool's own objects, as fillArguments gives them.
  assert.ok(again.missing.every((prop) => ticket.props.includes(prop)));
});

test('a filling that read a date is worked out again at another time', () => {
  const text = 'open a ticket about VPN drops updated since yesterday';
  const monday = fillArgumentsMemo(text, ticket, context('2026-11-23T10:00:00Z'));
  const tuesday = fillArgumentsMemo(text, ticket, context('2026-11-24T10:00:00Z'));
  assert.deepEqual(plain(monday), plain(fillArguments(text, ticket, context('2026-11-23T10:00:00Z'))));
  assert.deepEqual(plain(tuesday), plain(fillArguments(text, ticket, context('2026-11-24T10:00:00Z'))));
  assert.notDeepEqual(monday.args['updated_since'], tuesday.args['updated_since']);
});

test('a filling that took a value from earlier results is not kept for another thread', () => {
  const text = 'add the tag network to it';
  const from =
    (value: string): FillContext['resolve'] =>
    (prop) =>
      prop.name === 'ticket_id' ? value : undefined;
  const one = fillArgumentsMemo(text, ticket, context('2026-11-20T10:00:00Z', { refers: true, resolve: from('HD-1001') }));
  const two = fillArgumentsMemo(text, ticket, context('2026-11-20T10:00:00Z', { refers: true, resolve: from('HD-2002') }));
  assert.equal(one.args['ticket_id'], 'HD-1001');
  assert.equal(two.args['ticket_id'], 'HD-2002');
});

test('the context is part of the key: shared text and flags give their own fillings', () => {
  const text = 'open a ticket for it';
  const alone = fillArgumentsMemo(text, ticket, context('2026-11-20T10:00:00Z'));
  const told = fillArgumentsMemo(text, ticket, context('2026-11-20T10:00:00Z', { shared: ['The VPN keeps dropping every hour'] }));
  assert.deepEqual(plain(alone), plain(fillArguments(text, ticket, context('2026-11-20T10:00:00Z'))));
  assert.deepEqual(
    plain(told),
    plain(fillArguments(text, ticket, context('2026-11-20T10:00:00Z', { shared: ['The VPN keeps dropping every hour'] }))),
  );
  const explicit = fillArgumentsMemo(text, ticket, context('2026-11-20T10:00:00Z', { explicitOnly: true }));
  assert.deepEqual(plain(explicit), plain(fillArguments(text, ticket, context('2026-11-20T10:00:00Z', { explicitOnly: true }))));
});

test('every field of the context but the clock is part of the key, a field added later too; false and absent are the same', () => {
  const base = context('2026-11-20T10:00:00Z');
  const key = memoKey('open a ticket', base);
  assert.equal(memoKey('open a ticket', context('2026-12-01T08:00:00Z')), key);
  assert.equal(memoKey('open a ticket', { ...base, single: false, implicit: undefined }), key);
  assert.notEqual(memoKey('open a ticket', { ...base, refers: true }), key);
  assert.notEqual(memoKey('open a ticket', { ...base, resolve: () => undefined }), key);
  assert.notEqual(memoKey('open a ticket', { ...base, nouns: new Set(['ticket']) }), key);
  // A field FillContext does not have yet stands for one added after the memo was written.
  assert.notEqual(memoKey('open a ticket', { ...base, later: 'x' } as FillContext), key);
});
