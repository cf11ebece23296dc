import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { z } from 'zod';
import createAgent, { ANALYSIS_INSTRUCTIONS, MAX_TEXT_CHARS, createAnalysisAgent } from '../../../servers/analysis/index.ts';
import { loadEnv } from '../../../src/config/env.ts';
import { ToolError } from '../../../src/errors.ts';
import type { ToolContext, ToolDefinition } from '../../../src/mcp/index.ts';
import { recordingContext } from '../../helpers/toolContext.ts';

const agent = createAnalysisAgent();

function tool(name: string): ToolDefinition {
  const found = agent.tools.find((candidate) => candidate.name === name);
  assert.ok(found, `tool ${name}`);
  return found;
}

async function call(name: string, args: Record<string, unknown>, context: ToolContext = recordingContext()) {
  const definition = tool(name);
  const output = await definition.handler(definition.input.parse(args), context);
  assert.ok(definition.output.safeParse(output.structured).success, `${name} output matches its schema`);
  return output;
}

type Span = { text: string; start: number; end: number };

/** A long, realistic text: the fixture messages and texts in turn, in paragraphs, up to `size`. */
function longText(size: number): string {
  const read = (name: string) =>
    (JSON.parse(readFileSync(new URL(`../../fixtures/analysis/${name}`, import.meta.url), 'utf8')) as { items: { text: string }[] }).items;
  const texts = [...read('sentiment.json'), ...read('entities.json')].map((item) => item.text);
  let text = '';
  for (let index = 0; text.length < size; index += 1) text += texts[index % texts.length] + (index % 6 === 5 ? '\n\n' : ' ');
  return text.slice(0, size);
}

test('the default factory builds the agent with four read-only tools', async () => {
  const built = await createAgent(loadEnv({}));
  assert.equal(built.name, 'analysis');
  assert.equal(built.instructions, ANALYSIS_INSTRUCTIONS);
  assert.deepEqual(
    built.tools.map((definition) => definition.name),
    ['analyze_sentiment', 'extract_entities', 'summarize', 'analyze_text'],
  );
  for (const definition of built.tools) {
    assert.deepEqual(definition.annotations, { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false });
    assert.ok(definition.description.includes(String(MAX_TEXT_CHARS)), `${definition.name} states the size limit`);
  }
  assert.deepEqual(await built.readiness?.(), { ready: true, model: 'wink-eng-lite-web-model' });
});

test('every input and output field is described for the model', () => {
  const undescribed: string[] = [];
  const walk = (schema: unknown, path: string): void => {
    if (!schema || typeof schema !== 'object') return;
    const node = schema as { properties?: Record<string, { description?: string }>; items?: unknown; anyOf?: unknown[] };
    for (const [key, property] of Object.entries(node.properties ?? {})) {
      if (!property.description) undescribed.push(`${path}.${key}`);
      walk(property, `${path}.${key}`);
    }
    walk(node.items, `${path}[]`);
    for (const option of node.anyOf ?? []) walk(option, path);
  };
  for (const definition of agent.tools) {
    walk(z.toJSONSchema(definition.input, { io: 'input' }), `${definition.name}.input`);
    walk(z.toJSONSchema(definition.output), `${definition.name}.output`);
  }
  assert.deepEqual(undescribed, []);
});

test('every entity offset points at the entity, across spaces, tabs, CRLF, accents and emoji', async () => {
  const text =
    '😡😡 Hi  team,\r\n\r\nSarah Johnson\tfrom Microsoft in Zürich wrote to sarah@contoso.com on March 3rd, 2024:\u00a0' +
    'the café bill of $4,500 is wrong!  See https://contoso.com/billing?id=7. Ping Angela Merkel in Berlin, Germany by Friday.';
  const { structured } = await call('extract_entities', { text });
  const entities = structured as Record<string, Span[] | boolean>;
  let checked = 0;
  for (const list of Object.values(entities)) {
    if (!Array.isArray(list)) continue;
    for (const entity of list) {
      assert.equal(text.slice(entity.start, entity.end), entity.text);
      checked += 1;
    }
  }
  const texts = (key: string) => (entities[key] as Span[]).map((entity) => entity.text);
  assert.ok(texts('people').includes('Sarah Johnson') && texts('people').includes('Angela Merkel'), texts('people').join());
  assert.ok(texts('organizations').includes('Microsoft'));
  assert.ok(texts('places').includes('Berlin') && texts('places').includes('Germany'), texts('places').join());
  assert.deepEqual(texts('emails'), ['sarah@contoso.com']);
  assert.deepEqual(texts('urls'), ['https://contoso.com/billing?id=7']);
  assert.deepEqual(texts('money'), ['$4,500']);
  assert.ok(texts('dates').includes('March 3rd, 2024'));
  assert.ok(checked >= 10);
});

test('per-sentence sentiment carries each sentence with its offsets', async () => {
  const text = 'Thanks, the new laptop is great.  But the docking station is broken and useless!\nCould you send a new one?';
  const { structured, text: rendered } = await call('analyze_sentiment', { text });
  const { sentences, sentence_count: count } = structured as { sentences: (Span & { label: string })[]; sentence_count: number };
  assert.equal(count, 3);
  for (const sentence of sentences) assert.equal(text.slice(sentence.start, sentence.end), sentence.text);
  assert.deepEqual(
    sentences.map((sentence) => sentence.label),
    ['positive', 'negative', 'neutral'],
  );
  assert.match(rendered, /^Sentiment: /);
});

test('a summary keeps the original order and never exceeds max_sentences', async () => {
  const text = longText(6_000);
  for (const max of [1, 2, 3, 5]) {
    const { structured } = await call('summarize', { text, max_sentences: max });
    const { sentences, summary } = structured as { sentences: (Span & { index: number })[]; summary: string };
    assert.ok(sentences.length >= 1 && sentences.length <= max, `${sentences.length} sentences for max ${max}`);
    const starts = sentences.map((sentence) => sentence.start);
    assert.deepEqual(
      starts,
      [...starts].sort((a, b) => a - b),
    );
    assert.deepEqual(
      sentences.map((sentence) => sentence.index),
      [...sentences.map((sentence) => sentence.index)].sort((a, b) => a - b),
    );
    for (const sentence of sentences) assert.equal(text.slice(sentence.start, sentence.end), sentence.text);
    assert.equal(summary, sentences.map((sentence) => sentence.text).join(' '));
  }
  const short = 'The VPN is down. Users cannot connect.';
  const { structured } = await call('summarize', { text: short, max_sentences: 5 });
  assert.equal((structured as { sentences: unknown[] }).sentences.length, 2);
});

// Speed is the bench's business; the timeout only stops a blow-up.
test('a 100k-character text streams progress', { timeout: 120_000 }, async (t) => {
  const text = longText(100_000);
  const context = recordingContext();
  const started = performance.now();
  const { structured } = await call('analyze_text', { text }, context);
  const elapsed = performance.now() - started;
  t.diagnostic(
    `analyze_text, all analyses, ${text.length} characters: ${Math.round(elapsed)} ms, ${context.progressEvents.length} progress events`,
  );
  const events = context.progressEvents;
  assert.ok(events.length >= 10, `${events.length} progress events`);
  const total = events[0]?.total;
  assert.ok(total !== undefined && events.every((event) => event.total === total));
  assert.deepEqual(
    events.map((event) => event.done),
    events.map((_, index) => index + 1),
  );
  assert.equal(events.at(-1)?.done, total);
  assert.ok(events.some((event) => /entities: people, organisations, places 2 of/.test(event.message ?? '')));
  const report = structured as { analyses: string[]; characters: number; summary: { sentences: unknown[] } };
  assert.deepEqual(report.analyses, ['sentiment', 'entities', 'keywords', 'summary', 'language', 'readability']);
  assert.equal(report.characters, 100_000);
  assert.equal(report.summary.sentences.length, 3);
});

// Regressions, each measured at minutes or out of memory before: wink's tokenizer is quadratic in
// the length of a run without spaces, compromise in the length of a sentence, and TextRank built
// a graph with an edge for every pair of sentences sharing a word.
test('pathological long texts are read: one long run, one long sentence, many alike sentences', { timeout: 120_000 }, async (t) => {
  const timed = async (name: string, args: Record<string, unknown>) => {
    const started = performance.now();
    const { structured } = await call(name, args);
    const elapsed = performance.now() - started;
    t.diagnostic(`${name} ${String(args.text).length} characters: ${Math.round(elapsed)} ms`);
    return structured as Record<string, unknown>;
  };
  const blob = `See data:image/png;base64,${'iVBORw0KGgoAAAANSUhEUg'.repeat(7_000)} attached.`;
  const read = await timed('analyze_text', { text: blob, analyses: ['sentiment', 'keywords', 'readability'] });
  assert.ok((read.readability as { words: number }).words > 0);
  const unpunctuated = 'the portal is not working for the users of the finance team '.repeat(2_500);
  const felt = await timed('analyze_text', { text: unpunctuated, analyses: ['sentiment', 'entities'] });
  assert.equal((felt.sentiment as { label: string }).label, 'negative');
  const alike = await timed('summarize', { text: 'Error occurred in server. '.repeat(6_000), max_sentences: 3 });
  assert.deepEqual(
    (alike.sentences as { text: string }[]).map((sentence) => sentence.text),
    ['Error occurred in server.'],
  );
});

test('offsets stay exact around a run too long to tokenise whole', async () => {
  const text = `Mail ann@example.com about ${'x'.repeat(5_000)} or see https://example.com/status today.`;
  const { structured } = await call('extract_entities', { text });
  const entities = structured as { emails: Span[]; urls: Span[] };
  assert.deepEqual(
    entities.emails.map((entity) => entity.text),
    ['ann@example.com'],
  );
  assert.deepEqual(
    entities.urls.map((entity) => entity.text),
    ['https://example.com/status'],
  );
  for (const entity of [...entities.emails, ...entities.urls]) assert.equal(text.slice(entity.start, entity.end), entity.text);
});

test('analyze_text runs only the analyses asked for', async () => {
  const { structured, text } = await call('analyze_text', {
    text: 'The quarterly report from Acme Corp is late again. Please send it to finance@acme.com today.',
    analyses: ['readability', 'language', 'keywords'],
    max_keywords: 2,
  });
  const report = structured as Record<string, unknown>;
  assert.deepEqual(report.analyses, ['keywords', 'language', 'readability']);
  assert.equal(report.sentiment, undefined);
  assert.equal(report.entities, undefined);
  assert.ok((report.keywords as unknown[]).length <= 2);
  assert.equal((report.language as { code: string }).code, 'en');
  assert.equal((report.readability as { sentences: number }).sentences, 2);
  assert.equal(text.split('\n').length, 3);
});

test('empty, blank and oversized texts are rejected with what to do', async () => {
  const input = tool('analyze_text').input;
  for (const [text, pattern] of [
    ['', /text is empty/],
    ['  \n\t ', /only whitespace/],
    ['x'.repeat(MAX_TEXT_CHARS + 1), /longer than 200000 characters: split it/],
  ] as const) {
    const parsed = input.safeParse({ text });
    assert.equal(parsed.success, false);
    assert.match(parsed.error?.issues.map((issue) => issue.message).join('; ') ?? '', pattern);
  }
  // Called around the schema, the handler refuses too.
  await assert.rejects(tool('analyze_sentiment').handler({ text: ' ' }, recordingContext()), ToolError);
  await assert.rejects(
    tool('summarize').handler({ text: 'a'.repeat(MAX_TEXT_CHARS + 1), max_sentences: 3 }, recordingContext()),
    (error: unknown) =>
      error instanceof ToolError &&
      /more than the 200000 allowed/.test(error.message) &&
      error.hint === 'split it into parts and analyse each',
  );
  assert.ok(input.safeParse({ text: 'x'.repeat(MAX_TEXT_CHARS) }).success);
});

test('wrongly typed arguments are rejected by the input schemas', () => {
  const cases: [string, Record<string, unknown>][] = [
    ['analyze_sentiment', {}],
    ['analyze_sentiment', { text: 42 }],
    ['extract_entities', { text: ['a list'] }],
    ['summarize', { text: 'Fine.', max_sentences: '3' }],
    ['summarize', { text: 'Fine.', max_sentences: 0 }],
    ['summarize', { text: 'Fine.', max_sentences: 2.5 }],
    ['summarize', { text: 'Fine.', max_sentences: 21 }],
    ['analyze_text', { text: 'Fine.', analyses: ['sentiment', 'horoscope'] }],
    ['analyze_text', { text: 'Fine.', analyses: [] }],
    ['analyze_text', { text: 'Fine.', analyses: 'sentiment' }],
    ['analyze_text', { text: 'Fine.', max_keywords: -1 }],
  ];
  for (const [name, args] of cases) assert.equal(tool(name).input.safeParse(args).success, false, `${name} ${JSON.stringify(args)}`);
  assert.equal(tool('summarize').input.parse({ text: 'Fine.' }).max_sentences, 3);
});

test('a cancelled call stops between stages', async () => {
  const controller = new AbortController();
  controller.abort(new Error('caller went away'));
  await assert.rejects(
    call('analyze_text', { text: longText(5_000) }, recordingContext({ signal: controller.signal })),
    /caller went away/,
  );
});
