import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAnalysisAgent } from '../../../servers/analysis/index.ts';
import { recordingContext } from '../../helpers/toolContext.ts';

const agent = createAnalysisAgent();
const analyzeText = agent.tools.find((tool) => tool.name === 'analyze_text')!;

async function analyse(text: string, analyses: string[], extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const output = await analyzeText.handler(analyzeText.input.parse({ text, analyses, ...extra }), recordingContext());
  return output.structured as Record<string, unknown>;
}

type Guess = { code: string; name: string; script: string; confidence: number; method: string };

test('the language guess names common languages and admits when it cannot tell', async () => {
  const samples: [string, string, string][] = [
    ['en', 'English', 'I cannot log in to the portal since this morning and the password reset link does not arrive.'],
    ['fr', 'French', 'Je ne peux pas me connecter au portail depuis ce matin et le lien de réinitialisation ne arrive pas.'],
    ['de', 'German', 'Ich kann mich seit heute Morgen nicht am Portal anmelden und der Link zum Zurücksetzen kommt nicht an.'],
    ['es', 'Spanish', 'No puedo iniciar sesión en el portal desde esta mañana y el enlace para restablecer la contraseña no llega.'],
    [
      'ru',
      'Russian',
      'Добрый день! Со вчерашнего вечера у нас в офисе не работает принтер на втором этаже. Мы пробовали его перезагрузить, ' +
        'но это не помогло. Подскажите, пожалуйста, что нам делать и когда к нам сможет прийти техник.',
    ],
    ['ja', 'Japanese', '今朝からポータルにログインできず、パスワードリセットのリンクも届きません。'],
    ['ko', 'Korean', '서버가 다운되었습니다. 도와주세요.'],
    ['und', 'Undetermined', '12345 67890'],
    // Shorter than franc's minimum of 10 characters.
    ['und', 'Undetermined', 'Thanks!'],
  ];
  for (const [code, name, text] of samples) {
    const { language } = (await analyse(text, ['language'])) as { language: Guess };
    assert.equal(language.code, code, text);
    assert.equal(language.name, name, text);
    if (code === 'und') assert.equal(language.confidence, 0);
    else assert.ok(language.confidence > 0, `${code} confidence`);
  }
});

// franc-min's known weak spot (wooorm/franc#27): in a sentence or two, Russian, Bulgarian and
// Serbian trigram scores lie close together. The guess may miss, but it must say it is unsure.
test('a short Cyrillic sentence gets a Cyrillic language with low confidence', async () => {
  const text = 'Я не могу войти на портал с утра, и ссылка для сброса пароля не приходит.';
  const { language } = (await analyse(text, ['language'])) as { language: Guess };
  assert.ok(['ru', 'bg', 'sr', 'uk', 'be', 'kk'].includes(language.code), language.code);
  assert.equal(language.script, 'Cyrillic');
  assert.equal(language.method, 'trigrams');
  assert.ok(language.confidence < 0.3, `confidence ${language.confidence}`);
});

test('a script only one language uses decides by itself', async () => {
  const { language } = (await analyse('Το διακομιστή δεν λειτουργεί σήμερα το πρωί.', ['language'])) as { language: Guess };
  assert.deepEqual(
    { code: language.code, script: language.script, method: language.method },
    { code: 'el', script: 'Greek', method: 'script' },
  );
  assert.ok(language.confidence > 0.9);
});

test('reading statistics follow the Flesch formulas', async () => {
  const { readability } = (await analyse('The cat sat on the mat. It was happy there.', ['readability'])) as {
    readability: Record<string, number>;
  };
  // 10 words (11 syllables: "happy" has two) in 2 sentences.
  assert.equal(readability.sentences, 2);
  assert.equal(readability.words, 10);
  assert.equal(readability.syllables, 11);
  assert.equal(readability.words_per_sentence, 5);
  const perWord = 11 / 10;
  assert.equal(readability.flesch_reading_ease, Math.round((206.835 - 1.015 * 5 - 84.6 * perWord) * 10) / 10);
  assert.equal(readability.flesch_kincaid_grade, Math.round((0.39 * 5 + 11.8 * perWord - 15.59) * 10) / 10);
  assert.equal(readability.reading_time_seconds, Math.round((10 / 238) * 60));
});

test('key phrases are the noun phrases the text keeps returning to, with offsets', async () => {
  const text =
    'The VPN outage started when the gateway certificate expired. Users in two offices could not reach the VPN. ' +
    'The network team renewed the gateway certificate at noon, and the VPN came back. Certificate renewals will now be automated.';
  const { keywords } = (await analyse(text, ['keywords'], { max_keywords: 5 })) as {
    keywords: { phrase: string; score: number; count: number; start: number; end: number }[];
  };
  assert.ok(keywords.length > 0 && keywords.length <= 5);
  assert.equal(keywords[0]?.score, 1);
  for (const keyword of keywords) assert.equal(text.slice(keyword.start, keyword.end), keyword.phrase);
  const phrases = keywords.map((keyword) => keyword.phrase.toLowerCase());
  assert.ok(phrases.includes('gateway certificate'), phrases.join(', '));
  assert.ok(!phrases.some((phrase) => /^(the|when|could|will)\b/.test(phrase)), 'no stop words lead a phrase');
});
