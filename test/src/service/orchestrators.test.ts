import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadEnv } from '../../../src/config/env.ts';
import { UserError } from '../../../src/errors.ts';
import { createEnvModelResolver } from '../../../src/service/index.ts';

test('the env model resolver reuses a model per spec and names request specs without the CLI flag', () => {
  const resolve = createEnvModelResolver(loadEnv({ OPENAI_API_KEY: 'sk-test' }), 'offline');
  assert.equal(resolve(undefined).name, 'offline');
  const first = resolve('openai:gpt-4o-mini');
  assert.equal(first.name, 'openai:gpt-4o-mini');
  assert.equal(resolve('openai:gpt-4o-mini').model, first.model);
  assert.throws(
    () => resolve('nope:x'),
    (error: unknown) => error instanceof UserError && !error.message.startsWith('--model'),
  );
});

// Regression: every model a request named was kept for good, so callers could grow the cache without bound.
test('the env model resolver keeps a bounded number of models, the most recently used', () => {
  const resolve = createEnvModelResolver(loadEnv({ OPENAI_API_KEY: 'sk-test' }));
  const kept = resolve('openai:kept').model;
  const dropped = resolve('openai:dropped').model;
  for (let i = 0; i < 100; i++) {
    resolve(`openai:model-${i}`);
    resolve('openai:kept');
  }
  assert.equal(resolve('openai:kept').model, kept);
  assert.notEqual(resolve('openai:dropped').model, dropped);
});
