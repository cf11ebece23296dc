import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { EnvSchema, agentServerSettings, loadEnv } from '../../../src/config/env.ts';
import { loadConfigFile, parseConfig, parseServerFlag } from '../../../src/config/file.ts';

describe('environment', () => {
  test('defaults are safe: loopback, ./data, no auth', () => {
    const env = loadEnv({});
    assert.equal(env.HOST, '127.0.0.1');
    assert.equal(env.SWITCHBOARD_DATA_DIR, './data');
    assert.equal(env.MCP_AUTH_TOKEN, undefined);
    assert.deepEqual(env.MCP_ALLOWED_ORIGINS, []);
  });

  test('bad values are one error naming every variable', () => {
    assert.throws(
      () => loadEnv({ PORT: 'eighty', DATABASE_URL: 'not a url', OPENAI_BASE_URL: 'nowhere' }),
      (error: Error) => {
        assert.match(error.message, /PORT: PORT must be a whole number/);
        assert.match(error.message, /DATABASE_URL: DATABASE_URL must be a URL/);
        assert.match(error.message, /OPENAI_BASE_URL: OPENAI_BASE_URL must be a URL/);
        return true;
      },
    );
  });

  test('lists split on commas and empty values count as unset', () => {
    const env = loadEnv({ MCP_ALLOWED_ORIGINS: 'https://a.example, https://b.example ,', PORT: '', OPENAI_API_KEY: '  ' });
    assert.deepEqual(env.MCP_ALLOWED_ORIGINS, ['https://a.example', 'https://b.example']);
    assert.equal(env.PORT, undefined);
    assert.equal(env.OPENAI_API_KEY, undefined);
  });

  test('OAuth settings: off without MCP_OAUTH_ISSUER, {agent} in MCP_RESOURCE_URL, bad values named', () => {
    assert.equal(agentServerSettings(loadEnv({})).oauth, undefined);
    const env = loadEnv({
      MCP_OAUTH_ISSUER: 'https://auth.example.com/realms/ops',
      MCP_RESOURCE_URL: 'https://mcp.example.com/{agent}/mcp',
      MCP_OAUTH_READ_SCOPE: 'ops:read',
      MCP_OAUTH_AUDIENCE: 'api://switchboard',
    });
    assert.deepEqual(agentServerSettings(env, 'incident').oauth, {
      issuer: 'https://auth.example.com/realms/ops',
      resourceUrl: 'https://mcp.example.com/incident/mcp',
      audiences: ['api://switchboard'],
      readScope: 'ops:read',
    });
    assert.throws(
      () => loadEnv({ MCP_OAUTH_ISSUER: 'auth.example.com', MCP_OAUTH_WRITE_SCOPE: 'two words' }),
      (error: Error) =>
        /MCP_OAUTH_ISSUER must be a URL/.test(error.message) && /MCP_OAUTH_WRITE_SCOPE must be one scope/.test(error.message),
    );
    assert.throws(
      () => loadEnv({ MCP_OAUTH_JWKS_URL: 'https://auth.example.com/jwks' }),
      (error: Error) => /MCP_OAUTH_ISSUER: MCP_OAUTH_JWKS_URL is set but OAuth is off/.test(error.message),
    );
  });

  test('.env.example lists every variable the schema reads', async () => {
    const example = await readFile('.env.example', 'utf8');
    for (const name of Object.keys(EnvSchema.shape))
      assert.match(example, new RegExp(`^${name}=`, 'm'), `${name} is missing from .env.example`);
  });
});

describe('switchboard.config.json', () => {
  test('the shipped config is valid and names the three built-in agents on 8101-8103', async () => {
    const config = await loadConfigFile('switchboard.config.json', {});
    const entries = Object.fromEntries(Object.entries(config.servers).map(([n, e]) => [n, [e.agent, new URL(e.url).port, e.autoStart]]));
    // Subset, not equality: `npm run new-agent` adds entries from 8104 on.
    assert.deepEqual(
      { incident: entries['incident'], search: entries['search'], analysis: entries['analysis'] },
      { incident: ['incident', '8101', true], search: ['search', '8102', true], analysis: ['analysis', '8103', true] },
    );
  });

  test('header values reference ${ENV}; an unset one is an error naming it', () => {
    const raw = { servers: { docs: { url: 'http://127.0.0.1:9000/mcp', headers: { Authorization: 'Bearer ${DOCS_TOKEN}' } } } };
    assert.equal(parseConfig(raw, 'c.json', { DOCS_TOKEN: 's3cret' }).servers['docs']!.headers['Authorization'], 'Bearer s3cret');
    assert.throws(
      () => parseConfig(raw, 'c.json', {}),
      /c\.json: servers\.docs\.headers\.Authorization references \$\{DOCS_TOKEN\}, which is not set/,
    );
  });

  test('a bad line is reported with its path', () => {
    assert.throws(
      () => parseConfig({ servers: { docs: { url: 'nope', timeoutMs: -1 } } }, 'c.json', {}),
      /c\.json is invalid: servers\.docs\.url: .*; servers\.docs\.timeoutMs/,
    );
    assert.throws(() => parseConfig({ servers: { docs: { url: 'http://x/mcp', colour: 'red' } } }, 'c.json', {}), /colour/);
  });

  test('--server NAME=URL', () => {
    const [name, entry] = parseServerFlag('docs=http://127.0.0.1:9000/mcp');
    assert.equal(name, 'docs');
    assert.equal(entry.url, 'http://127.0.0.1:9000/mcp');
    assert.throws(() => parseServerFlag('http://127.0.0.1:9000/mcp'), /expected NAME=URL/);
  });
});
