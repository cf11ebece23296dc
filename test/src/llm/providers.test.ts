import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { EnvSchema, loadEnv } from '../../../src/config/env.ts';
import { ConfigError, describeError } from '../../../src/errors.ts';
import type { ModelProvider } from '../../../src/llm/provider.ts';
import { MODEL_PROVIDERS, modelProvider, modelSpecUsage } from '../../../src/llm/providers.ts';
import { formatModelSpec, parseModelSpec } from '../../../src/llm/spec.ts';

const run = promisify(execFile);
const providers = MODEL_PROVIDERS as readonly ModelProvider[];

/** Env that satisfies every provider, so each spec form parses. */
const READY = loadEnv({
  OPENAI_API_KEY: 'sk-x',
  AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com',
  AZURE_OPENAI_API_KEY: 'k',
  AZURE_OPENAI_API_VERSION: '2024-10-21',
});

describe('the model provider registry', () => {
  test('ids are unique lower-case prefixes; exactly one fallback, which needs nothing', () => {
    const ids = providers.map((provider) => provider.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^[a-z][a-z0-9-]*$/);
    const fallbacks = providers.filter((provider) => provider.fallback);
    assert.deepEqual(
      fallbacks.map((provider) => provider.id),
      ['offline'],
    );
    assert.equal(fallbacks[0]!.argument, undefined);
    assert.deepEqual(fallbacks[0]!.missingSettings(loadEnv({})), []);
  });

  test('every setting a provider declares is parsed by src/config/env.ts and listed in .env.example; every model variable belongs to a provider', async () => {
    const example = await readFile('.env.example', 'utf8');
    const schema = Object.keys(EnvSchema.shape);
    const declared = providers.flatMap((provider) => provider.settings);
    for (const name of declared) {
      assert.ok(schema.includes(name), `${name} is not in EnvSchema`);
      assert.match(example, new RegExp(`^${name}=`, 'm'), `${name} is missing from .env.example`);
    }
    for (const name of schema.filter((key) => /^(OPENAI|AZURE_OPENAI)_/.test(key)))
      assert.ok(declared.includes(name as never), `${name} belongs to no provider`);
  });

  test('the usage line, .env.example and the CLI help name every spec form', async () => {
    const example = await readFile('.env.example', 'utf8');
    const help = await readFile('scripts/orchestrate.js', 'utf8');
    const line = example.split('\n').find((text) => text.startsWith('# offline |'));
    for (const provider of providers) {
      assert.ok(modelSpecUsage().includes(provider.usage), provider.id);
      assert.ok(line?.includes(provider.usage), `.env.example's SWITCHBOARD_MODEL comment lacks ${provider.usage}`);
      assert.ok(help.includes(provider.usage), `scripts/orchestrate.js --model help lacks ${provider.usage}`);
    }
    assert.equal(modelSpecUsage(), 'use offline, openai:<model> or azure:<deployment>');
  });

  test('a spec of every provider reads back as it is written', () => {
    for (const provider of providers) {
      const text = provider.argument ? `${provider.id}:some-name` : provider.id;
      const spec = parseModelSpec(text, READY);
      assert.equal(spec.provider, provider.id);
      assert.equal(formatModelSpec(spec), text);
      if (provider.argument) assert.equal((spec as Record<string, string>)[provider.argument], 'some-name');
    }
  });

  test('each network provider names its own missing settings; an unknown id lists the known ones', () => {
    for (const provider of providers.filter((entry) => entry.settings.length > 0)) {
      const missing = provider.missingSettings(loadEnv({}));
      assert.ok(missing.length > 0, provider.id);
      assert.ok(
        missing.every((name) => provider.settings.includes(name as never)),
        provider.id,
      );
      assert.throws(
        () => parseModelSpec(`${provider.id}:x`, loadEnv({})),
        (error: unknown) => error instanceof ConfigError && describeError(error).includes(`needs ${missing.join(', ')}`),
      );
    }
    assert.throws(
      () => modelProvider('gemini'),
      (error: unknown) =>
        error instanceof ConfigError && /unknown model provider "gemini" \(use offline, openai/.test(describeError(error)),
    );
  });
});

describe('providers load their client library only when used', () => {
  // A fresh process records every module it resolves, so this sees what the CLI would load.
  const probe = async (spec: string, env: Record<string, string>) => {
    const modules = (path: string) => JSON.stringify(new URL(`../../../${path}`, import.meta.url).href);
    const script = `
      import { registerHooks } from 'node:module';
      const seen = [];
      registerHooks({ resolve(specifier, context, next) { const result = next(specifier, context); seen.push(result.url); return result; } });
      const { loadEnv } = await import(${modules('src/config/env.ts')});
      const { parseModelSpec } = await import(${modules('src/llm/spec.ts')});
      const { loadChatModel } = await import(${modules('src/llm/load.ts')});
      await import(${modules('scripts/lib/builtinAgents.ts')});
      const env = loadEnv(${JSON.stringify(env)});
      const model = await loadChatModel(parseModelSpec(${JSON.stringify(spec)}, env), env);
      process.stdout.write(JSON.stringify({ model: model.constructor.name, openai: seen.filter((url) => url.includes('/node_modules/@langchain/openai/')).length }));
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { timeout: 60_000 });
    return JSON.parse(stdout) as { model: string; openai: number };
  };

  test('the offline planner never loads @langchain/openai (the agent and orchestrate CLIs start without it)', async () => {
    assert.deepEqual(await probe('offline', {}), { model: 'OfflinePlanner', openai: 0 });
  });

  test('an openai spec does load it (the probe sees the import)', async () => {
    const seen = await probe('openai:llama3.2', { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' });
    assert.equal(seen.model, 'SwitchboardChatOpenAI');
    assert.ok(seen.openai > 0);
  });
});
