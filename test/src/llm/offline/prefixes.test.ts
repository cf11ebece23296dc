import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { fillArguments } from '../../../../src/llm/offline/args.ts';
import { closeWordnet } from '../../../../src/llm/offline/lexicon/index.ts';
import { siScaled } from '../../../../src/llm/offline/prefixes.ts';
import { toToolSpec } from '../../../../src/llm/offline/toolIndex.ts';

after(closeWordnet);

const NOW = { now: new Date('2026-12-02T12:00:00Z'), refers: false };
const tool = (name: string, properties: Record<string, unknown>, required: string[]) =>
  toToolSpec({ type: 'function', function: { name, description: '', parameters: { type: 'object', properties, required } } });

describe('SI prefixes scale a number to the unit the schema names', () => {
  test('a prefixed symbol whose bare symbol the description names is scaled; others are kept', () => {
    assert.equal(siScaled(100, 'µF and', 'The capacitance (C) in farads (F).'), 0.0001);
    assert.equal(siScaled(50, ' mH.', 'The inductance in henries (H).'), 0.05);
    assert.equal(siScaled(3, 'kPa', 'Pressure in Pa.'), 3000);
    // The description names the prefixed unit itself, or no symbol at all: as written.
    assert.equal(siScaled(50, 'mH', 'The inductance in millihenries (mH).'), 50);
    assert.equal(siScaled(5, ' cm', 'The length of the side.'), 5);
    assert.equal(siScaled(5, ' min', 'The time in seconds (s).'), 5);
  });

  test('a circuit given in µF and mH is given in farads and henries', () => {
    const lc = tool(
      'calculate_resonant_frequency',
      {
        inductance: { type: 'number', description: 'The inductance (L) in henries (H).' },
        capacitance: { type: 'number', description: 'The capacitance (C) in farads (F).' },
      },
      ['inductance', 'capacitance'],
    );
    const { args } = fillArguments('Resonant frequency for capacitance of 100µF and inductance of 50mH', lc, NOW);
    assert.equal(args.capacitance, 0.0001);
    assert.equal(args.inductance, 0.05);
  });
});

describe('a span of two years', () => {
  const stats = tool(
    'get_player_stats',
    { player_name: { type: 'string' }, season: { type: 'string', description: 'The season, usually two years.' } },
    ['player_name', 'season'],
  );

  test('the property named beside the span takes it whole', () => {
    assert.equal(fillArguments('Stats of Lionel Messi in the 2014-2015 season', stats, NOW).args.season, '2014-2015');
    assert.equal(fillArguments('Stats of Lionel Messi for season 2021/22', stats, NOW).args.season, '2021/22');
  });

  test('a span no property is named beside is not taken as one', () => {
    const plain = tool('get_history', { topic: { type: 'string' }, period: { type: 'string' } }, ['topic']);
    assert.notEqual(fillArguments('History of jazz 1950-1960 in Chicago', plain, NOW).args.period, '1950-1960');
  });
});
