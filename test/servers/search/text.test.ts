import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze, tokenize } from '../../../servers/search/local/analyzer.ts';
import { markdownToText, parseHtml, parseMarkdown, parsePlainText } from '../../../servers/search/local/documents.ts';
import { domainFilter, normaliseDomain, recencyFactor, withinTimeRange } from '../../../servers/search/local/filters.ts';
import { makeSnippet } from '../../../servers/search/local/snippet.ts';
import { stem } from '../../../servers/search/local/stemmer.ts';
import { classifyTavilyError } from '../../../servers/search/tavily/errors.ts';

describe('Porter stemmer', () => {
  test("matches the reference output of Porter's algorithm", () => {
    const expected: Record<string, string> = {
      caresses: 'caress',
      ponies: 'poni',
      cats: 'cat',
      agreed: 'agre',
      plastered: 'plaster',
      motoring: 'motor',
      conflated: 'conflat',
      hopping: 'hop',
      falling: 'fall',
      filing: 'file',
      happy: 'happi',
      relational: 'relat',
      conditional: 'condit',
      digitizer: 'digit',
      operator: 'oper',
      hopefulness: 'hope',
      electrical: 'electr',
      adjustment: 'adjust',
      adoption: 'adopt',
      effective: 'effect',
      controll: 'control',
      generalizations: 'gener',
    };
    for (const [word, root] of Object.entries(expected)) assert.equal(stem(word), root, word);
  });

  test('conflates the forms people type in help-desk questions', () => {
    assert.equal(stem('printing'), stem('print'));
    assert.equal(stem('connections'), stem('connecting'));
    assert.equal(stem('syncing'), stem('synced'));
    assert.equal(stem('passwords'), 'password');
    assert.equal(stem('0x80070005'), '0x80070005', 'codes are left alone');
  });
});

describe('analyzer', () => {
  test('unifies spelling variants and drops stop words', () => {
    assert.deepEqual(analyze("Can't sign in to Wi-Fi"), analyze('cant signin to wifi'));
    assert.deepEqual(analyze('e-mail'), analyze('email'));
    assert.deepEqual(analyze('two-factor'), analyze('MFA'));
    assert.deepEqual(analyze('how do I'), []);
    assert.ok(analyze('pop-up').includes(analyze('popup')[0] as string), 'hyphenated words also index their joined form');
  });

  // Regression: `\b` only knows ASCII, so inside "aéaé…" every position was a boundary and each
  // rescanned the run (60,000 characters took 17 s); and "été-bar" was never joined.
  test('hyphenated words of any letters are joined, in linear time', { timeout: 30_000 }, () => {
    assert.ok(tokenize('été-bar').includes('étébar'));
    assert.ok(tokenize('pop-up').includes('popup'));
    assert.ok(tokenize('aé'.repeat(30_000)).length > 0, 'a long run of mixed letters is tokenised');
  });

  test('splits codes and error names into searchable words', () => {
    assert.deepEqual(tokenize('DRIVER_POWER_STATE_FAILURE'), ['driver', 'power', 'state', 'failure']);
  });
});

describe('snippets', () => {
  const filler = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

  test('centre on the densest cluster of matches and mark cuts with ellipses', () => {
    const text = `${filler(60)} printer once here. ${filler(40)} the printer queue is stuck; restart the print spooler. ${filler(60)}`;
    const snippet = makeSnippet(text, new Set(analyze('printer queue spooler')), 120);
    assert.match(snippet, /^….*printer queue is stuck; restart the print spooler.*…$/);
    assert.ok(snippet.length <= 122, `${snippet.length}`);
    const firstWord = snippet.slice(1).split(' ')[0] ?? '';
    assert.ok(text.split(/\s+/).includes(firstWord), `starts mid-word: ${firstWord}`);
  });

  test('fall back to the opening when nothing matches, and keep short texts whole', () => {
    assert.match(makeSnippet(filler(100), new Set(['zzz']), 80), /^word0 word1 .*…$/);
    assert.equal(makeSnippet('Short  text.', new Set(['text'])), 'Short text.');
  });
});

describe('document parsing', () => {
  test('Markdown: front matter title, tags and date; markup removed from the text', () => {
    const parsed = parseMarkdown(
      '---\ntitle: "VPN help"\nupdated: 2026-01-02\ntags: [VPN, remote access]\n---\n# Heading\n\n1. Run `ipconfig /flushdns` **now**\n\n| a | b |\n| --- | --- |\n| c | d |\n',
    );
    assert.equal(parsed.title, 'VPN help');
    assert.deepEqual(parsed.tags, ['vpn', 'remote access']);
    assert.equal(parsed.updated, '2026-01-02');
    assert.match(parsed.text, /^Heading\n\nRun ipconfig \/flushdns now\n/);
    assert.doesNotMatch(parsed.text, /\||---/);
    assert.equal(parseMarkdown('Intro\n\n# First heading\n').title, 'First heading');
    assert.equal(markdownToText('IRQL_NOT_LESS_OR_EQUAL and _this_'), 'IRQL_NOT_LESS_OR_EQUAL and this');
  });

  // Regression: with the pipe optional between cells, `-{3,}` in a repeated group split a run of
  // dashes in exponentially many ways: a line of 60 dashes and a word took minutes.
  test('Markdown: a line of dashes before words is read at once; table delimiter rows still go', { timeout: 30_000 }, () => {
    const text = markdownToText(`${'-'.repeat(56)} Original Message ${'-'.repeat(56)}\nFrom: Ann`);
    assert.match(text, /Original Message/);
    assert.equal(markdownToText('| a | b |\n|---|:---:|\n| c | d |'), 'a b\n\nc d');
    assert.equal(markdownToText('a | b\n--- | ---\nc | d'), 'a b\n\nc d');
    assert.equal(markdownToText('See [Foo](https://en.wikipedia.org/wiki/Foo_(bar)) and ![logo](a.png "Logo").'), 'See Foo and logo.');
    for (const adversarial of [' '.repeat(100_000) + 'x', '['.repeat(100_000), '[a]('.repeat(25_000), '`'.repeat(100_000)]) {
      assert.equal(typeof markdownToText(adversarial), 'string', JSON.stringify(adversarial.slice(0, 8)));
    }
  });

  test('HTML: title from <title> or the first heading; scripts, styles and comments dropped; entities decoded', () => {
    const parsed = parseHtml(
      '<html><head><title>A &amp; B</title><style>p{}</style></head><body><!-- x --><script>alert(1)</script><h1>Head</h1><p>caf&eacute; &#233; &#x263A;&nbsp;ok</p></body></html>',
    );
    assert.equal(parsed.title, 'A & B');
    assert.equal(parsed.text, 'Head\ncaf&eacute; é ☺ ok');
    assert.equal(parseHtml('<h2>Only <b>heading</b></h2><p>x</p>').title, 'Only heading');
  });

  // Regression: one pattern for the whole tag backtracked in cubic time over a long unclosed one.
  test('HTML: the published date comes from a meta tag, its attributes in any order', { timeout: 30_000 }, () => {
    assert.equal(parseHtml('<meta name="date" content="2026-01-02"><p>x</p>').updated, '2026-01-02');
    assert.equal(parseHtml('<meta content="2026-01-03" property="article:modified_time"><p>x</p>').updated, '2026-01-03');
    assert.equal(parseHtml('<meta name="author" content="Ann"><p>x</p>').updated, undefined);
    assert.equal(parseHtml('<meta name="date" '.repeat(1_000)).updated, undefined);
  });

  test('plain text: a short first line is the title', () => {
    assert.equal(parsePlainText('\nBackup rota\nNightly.').title, 'Backup rota');
    assert.equal(parsePlainText('x'.repeat(200)).title, undefined);
  });
});

describe('filters', () => {
  test('domains are normalised and match subdomains', () => {
    assert.equal(normaliseDomain('https://www.Example.com/path'), 'example.com');
    assert.equal(normaliseDomain('Example.com/docs'), 'example.com');
    const allowed = domainFilter(['example.com'], ['bad.example.com']);
    assert.equal(allowed('https://docs.example.com/a'), true);
    assert.equal(allowed('https://bad.example.com/a'), false);
    assert.equal(allowed('https://example.org/a'), false);
    assert.equal(allowed('file:///tmp/a.md'), false);
  });

  test('time ranges and recency are measured from now', () => {
    const now = new Date('2026-11-20T00:00:00Z');
    assert.equal(withinTimeRange('2026-11-14', 'week', now), true);
    assert.equal(withinTimeRange('2026-11-10', 'week', now), false);
    assert.equal(withinTimeRange('2026-01-01', 'year', now), true);
    assert.ok(recencyFactor('2026-11-20', now) > recencyFactor('2026-10-20', now));
    assert.equal(recencyFactor('not a date', now), 0.25);
  });
});

describe('Tavily error classification', () => {
  test('reads the messages @tavily/core throws', () => {
    const cases: Record<string, string> = {
      'Unauthorized: missing or invalid API key.': 'auth',
      'Your request has been blocked due to excessive requests. Please reduce rate of requests.': 'rate-limit',
      '429 Error: {"message":"slow down"}': 'rate-limit',
      "This request exceeds your plan's set usage limit. Please upgrade your plan or contact support@tavily.com": 'quota',
      'Request timed out after 0.2 seconds.': 'timeout',
      'An unexpected error occurred while making the request. Error: AxiosError: connect ECONNREFUSED 127.0.0.1:9': 'unreachable',
      'Internal Server Error': 'server',
      '502 Error: "bad gateway"': 'server',
      'Query is too long. Max query length is 400 characters.': 'request',
    };
    for (const [message, kind] of Object.entries(cases)) assert.equal(classifyTavilyError(new Error(message)), kind, message);
  });
});
