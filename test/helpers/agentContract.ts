import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { AgentDefinition, RunningAgentServer } from '../../src/mcp/index.ts';
import { cleanupAfter } from './cleanup.ts';
import { GENERIC_SERVER_SCENARIOS, runConformance } from './conformance.ts';
import { connectLegacySse, connectStreamable, serve } from './mcpClient.ts';
import { MODERN_PROTOCOL_VERSION, connectModern } from './modernClient.ts';

export interface AgentContract {
  /** The folder name under servers/. */
  readonly name: string;
  /** Builds a fresh agent (its own temp storage). */
  readonly create: (dataDir: string) => Promise<AgentDefinition>;
  /** A quick, valid, read-only call every transport must answer. */
  readonly sample: {
    readonly tool: string;
    readonly args: Record<string, unknown>;
    readonly check: (structured: Record<string, unknown>) => void;
  };
  /** Wrongly typed arguments for every tool. */
  readonly badArgs: Readonly<Record<string, Record<string, unknown>>>;
}

type Result = { isError?: boolean; structuredContent?: Record<string, unknown>; content: { type: string; text?: string }[] };

/**
 * What every agent built with the kit must show: the official conformance scenarios, every
 * transport, and bad arguments for each tool answered as tool errors.
 */
export function describeAgentContract(contract: AgentContract): void {
  describe(`${contract.name} agent: the kit's contract`, () => {
    let dir: string;
    let stateful: RunningAgentServer;
    let stateless: RunningAgentServer;
    const cleanup = cleanupAfter();
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), `switchboard-${contract.name}-`));
      cleanup.defer(() => rm(dir, { recursive: true, force: true }));
      stateful = await cleanup.start(serve(await contract.create(join(dir, 'a'))));
      stateless = await cleanup.start(serve(await contract.create(join(dir, 'b')), { stateless: true }));
    });

    test('passes the official MCP conformance scenarios that apply to any server', async () => {
      for (const scenario of GENERIC_SERVER_SCENARIOS) {
        const result = await runConformance(stateful.url, scenario);
        assert.equal(result.failed, 0, `${scenario} failed:\n${result.output}`);
        assert.ok(result.passed > 0, scenario);
      }
    });

    const exercise = async (client: Client) => {
      const { tools } = await client.listTools();
      for (const tool of tools) {
        assert.ok(tool.description && tool.description.length > 40, `${tool.name} has a description a model can choose by`);
        assert.ok(tool.outputSchema, `${tool.name} publishes an output schema`);
        assert.equal(typeof tool.annotations?.readOnlyHint, 'boolean', `${tool.name} is annotated`);
      }
      const result = (await client.callTool({ name: contract.sample.tool, arguments: contract.sample.args })) as Result;
      assert.notEqual(result.isError, true, result.content[0]?.text);
      contract.sample.check(result.structuredContent!);
      assert.ok(result.content[0]?.text, 'a short text rendering as well');
    };

    test('Streamable HTTP, stateful and stateless', async () => {
      for (const server of [stateful, stateless]) {
        const { client } = await connectStreamable(server.url);
        await exercise(client);
        await client.close();
      }
    });

    test('both protocol eras on one /mcp: a 2026-07-28 client and a 2025-11-25 session on the same running agent', async () => {
      for (const server of [stateful, stateless]) {
        const { client: legacy } = await connectStreamable(server.url);
        const modern = await connectModern(server.url);
        try {
          assert.equal(modern.getNegotiatedProtocolVersion(), MODERN_PROTOCOL_VERSION);
          const [old, fresh] = [(await legacy.listTools()).tools, (await modern.listTools()).tools];
          assert.deepEqual(
            fresh.map((t) => t.name),
            old.map((t) => t.name),
            'the same tools in both eras',
          );
          for (const tool of fresh) assert.deepEqual(tool.annotations, old.find((t) => t.name === tool.name)?.annotations, tool.name);
          const result = (await modern.callTool({ name: contract.sample.tool, arguments: contract.sample.args })) as Result;
          assert.notEqual(result.isError, true, result.content[0]?.text);
          contract.sample.check(result.structuredContent!);
          for (const [name, args] of Object.entries(contract.badArgs)) {
            const bad = (await modern.callTool({ name, arguments: args })) as Result;
            assert.equal(bad.isError, true, `${name} accepted ${JSON.stringify(args)} from a 2026-07-28 client`);
            assert.match(bad.content[0]?.text ?? '', /Input validation error|invalid|expected/i, name);
          }
          await exercise(legacy); // the session still works beside it
        } finally {
          await modern.close();
          await legacy.close();
        }
      }
    });

    test('legacy HTTP+SSE', async () => {
      const client = await connectLegacySse(stateful.url.replace(/\/mcp$/, ''));
      await exercise(client);
      await client.close();
    });

    test('stdio (npm run agent -- NAME --stdio)', async () => {
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: ['scripts/agent.ts', contract.name, '--stdio'],
        env: {
          ...(process.env as Record<string, string>),
          SWITCHBOARD_DATA_DIR: join(dir, 'stdio'),
          DATABASE_URL: '',
          TAVILY_API_KEY: '',
          SWITCHBOARD_MODEL: 'offline',
        },
        stderr: 'pipe',
      });
      const client = new Client({ name: 'contract', version: '1.0.0' });
      await client.connect(transport);
      // Closed whatever happens: a failed assertion must not leave the agent's process running.
      try {
        await exercise(client);
        const { tools } = await client.listTools();
        const ask = `ask_${contract.name.replace(/-/g, '_')}_agent`; // tool names are snake_case
        assert.ok(
          tools.some((t) => t.name === ask),
          `the built-in agent offers ${ask}`,
        );
      } finally {
        await client.close();
      }
    });

    test('wrongly typed arguments for every tool are tool errors, and the server stays healthy', async () => {
      const { client } = await connectStreamable(stateful.url);
      const { tools } = await client.listTools();
      for (const tool of tools) assert.ok(contract.badArgs[tool.name], `bad arguments are listed for ${tool.name}`);
      for (const [name, args] of Object.entries(contract.badArgs)) {
        const result = (await client.callTool({ name, arguments: args })) as Result;
        assert.equal(result.isError, true, `${name} accepted ${JSON.stringify(args)}`);
        assert.match(result.content[0]?.text ?? '', /Input validation error|invalid|expected/i, name);
      }
      assert.equal((await fetch(new URL('/healthz', stateful.url))).status, 200);
      await exercise(client);
      await client.close();
    });
  });
}
