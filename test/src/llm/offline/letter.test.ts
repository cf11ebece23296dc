import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { letterBody } from '../../../../src/llm/offline/letter.ts';

describe('a request written as a letter', () => {
  test('loses its salutation and its sign-off', () => {
    const letter = 'Good afternoon,\n\nThe scanner feeds blank pages. Please open a ticket.\n\nKind regards,\nAnna Berg';
    assert.equal(letterBody(letter), 'The scanner feeds blank pages. Please open a ticket.');
  });

  test('keeps a last paragraph that asks something or gives a value', () => {
    const letter = 'Hi,\n\nTwo things:\n\nclose ticket 42?\n\nThanks';
    assert.equal(letterBody(letter), 'Two things:\n\nclose ticket 42?');
  });

  test('leaves a request with no salutation as it is', () => {
    for (const text of ['book a table for two, tonight', 'Paris, France\nweather please']) assert.equal(letterBody(text), text);
  });
});
