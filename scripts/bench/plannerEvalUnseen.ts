/**
 * The unseen-tools evaluation: requests over invented MCP servers in other domains. Each tool
 * set is a real MCP server (the SDK's) over an in-memory transport, its tools loaded through
 * @langchain/mcp-adapters as the orchestrator loads them, and run by the real ReAct graph.
 */
import { HumanMessage, type BaseMessage } from '@langchain/core/messages';
import type { DynamicStructuredTool } from '@langchain/core/tools';
import { MemorySaver } from '@langchain/langgraph';
import { loadMcpTools } from '@langchain/mcp-adapters';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createReactGraph, type RunEvent } from '../../src/agent/index.ts';
import { ORCHESTRATOR_INSTRUCTIONS, shapeToolResult } from '../../src/orchestrator/index.ts';
import { restoreScalarUnions } from '../../src/orchestrator/schemaRepair.ts';
import { loadSeed, loadUnseen, modelToolName, type CaseFile, type Json, type ToolSet } from './plannerEvalCases.ts';
import { FakeSet, FakeToolError } from './plannerEvalFakes.ts';
import type { CallRecord, ToolFacts } from './plannerEvalJudge.ts';
import { parseJsonOrText } from './plannerEvalMatch.ts';
import { CaseModel, modelFor, offlinePlannerAt, type EvalModel } from './plannerEvalModel.ts';
import { runAll, type CaseResult, type TurnRunner } from './plannerEvalRun.ts';
import { schemaValidator } from './plannerEvalSchemas.ts';
import { toolShapesBySet, validateCases, validateToolSets } from './plannerEvalValidate.ts';

interface LoadedSet {
  readonly fake: FakeSet;
  readonly tools: DynamicStructuredTool[];
  readonly client: Client;
}

function textResult(value: Json, isError = false): CallToolResult {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return isError
    ? { content: [{ type: 'text', text }], isError: true }
    : { content: [{ type: 'text', text }], structuredContent: value as never };
}

/** The set as an MCP server, connected to a client over an in-memory transport, its tools in LangChain form. */
async function loadSet(set: ToolSet): Promise<LoadedSet> {
  const fake = new FakeSet(set);
  const validators = new Map(set.tools.map((tool) => [tool.name, schemaValidator(tool.inputSchema)]));
  const server = new Server({ name: set.server, version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: structuredClone(set.tools) as never }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const args = (request.params.arguments ?? {}) as Record<string, Json>;
    const validate = validators.get(request.params.name);
    if (!validate) return textResult(`unknown tool ${request.params.name}`, true);
    const invalid = validate(args);
    if (invalid) return textResult(`invalid arguments: ${invalid}`, true);
    try {
      return textResult(fake.call(request.params.name, args));
    } catch (error) {
      if (error instanceof FakeToolError) return textResult(error.message, true);
      throw error;
    }
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'planner-eval', version: '1.0.0' });
  await client.connect(clientSide);
  // What the pool's ServerConnection does to every result: structured content as compact JSON.
  const adapterClient = {
    listTools: (params?: { cursor?: string }) => client.listTools(params),
    callTool: async (params: { name: string; arguments?: Record<string, unknown> }, _schema?: unknown, options?: Record<string, unknown>) =>
      shapeToolResult((await client.callTool(params, undefined, options)) as CallToolResult),
  };
  const loaded = await loadMcpTools(set.server, adapterClient as unknown as Parameters<typeof loadMcpTools>[1], {
    prefixToolNameWithServerName: true,
    throwOnLoadError: true,
  });
  const originals = new Map(set.tools.map((tool) => [`${set.server}__${tool.name}`, tool]));
  for (const tool of loaded) {
    const original = originals.get(tool.name)!;
    tool.name = modelToolName(set.server, original.name);
    tool.metadata = { ...tool.metadata, server: set.server };
    tool.schema = restoreScalarUnions(tool.schema as Record<string, unknown>, original.inputSchema) as typeof tool.schema;
  }
  return { fake, tools: loaded, client };
}

function textOf(message: BaseMessage | undefined): string {
  const content = message?.content;
  if (typeof content === 'string') return content;
  return (content ?? []).map((block) => ('text' in block && typeof block.text === 'string' ? block.text : '')).join('');
}

export interface UnseenRunOptions {
  /** Default: the offline planner on the evaluation's clock. */
  readonly model?: EvalModel;
  readonly cases?: CaseFile;
  readonly sets?: readonly ToolSet[];
  readonly filter?: (id: string) => boolean;
  readonly timeoutMs?: number;
  readonly onCase?: (result: CaseResult, done: number, total: number) => void;
}

/** Runs unseen-tools cases, each with the tool sets it binds, and returns one result per case. */
export async function runUnseenCases(options: UnseenRunOptions = {}): Promise<CaseResult[]> {
  const fixtures = options.cases && options.sets ? { cases: options.cases, sets: options.sets } : await loadUnseen();
  const seed = await loadSeed();
  const model = options.model ?? offlinePlannerAt(seed.now);
  const problems = [...validateToolSets(fixtures.sets), ...validateCases([fixtures.cases], [], toolShapesBySet(fixtures.sets))];
  if (problems.length > 0) throw new Error(`the unseen-tools fixtures are broken:\n- ${problems.join('\n- ')}`);
  const selected = fixtures.cases.cases.filter((c) => options.filter?.(c.id) ?? true);
  if (selected.length === 0) return [];
  const loaded = new Map<string, LoadedSet>();
  try {
    for (const set of fixtures.sets) loaded.set(set.server, await loadSet(set));
    // Results name tools as the fixtures do (server__original), whatever the model saw.
    const fixtureName = new Map<string, string>();
    const readOnly = new Set<string>();
    for (const set of fixtures.sets) {
      for (const tool of set.tools) {
        fixtureName.set(modelToolName(set.server, tool.name), `${set.server}__${tool.name}`);
        if (tool.annotations?.['readOnlyHint'] === true) readOnly.add(`${set.server}__${tool.name}`);
      }
    }
    const known = new Set(fixtureName.values());
    const facts: ToolFacts = { exists: (name) => known.has(name), readOnly: (name) => readOnly.has(name) };
    let bound: DynamicStructuredTool[] = [];
    const caseModel = new CaseModel(modelFor(model, selected[0]!, fixtures.cases.templates));
    const checkpointer = new MemorySaver();
    const graph = createReactGraph({ model: caseModel, tools: () => bound, instructions: ORCHESTRATOR_INSTRUCTIONS, checkpointer });
    const runner: TurnRunner = {
      facts,
      async runTurn(threadId, text, signal) {
        const config = { configurable: { thread_id: threadId, autoApprove: true }, signal, recursionLimit: 100 };
        const calls: CallRecord[] = [];
        const stream = await graph.stream({ messages: [new HumanMessage(text)] }, { ...config, streamMode: 'custom' as const });
        for await (const chunk of stream) {
          const event = chunk as RunEvent;
          if (event.type !== 'tool_end') continue;
          calls.push({
            name: fixtureName.get(event.name) ?? event.name,
            args: event.args,
            ok: event.ok,
            result: parseJsonOrText(event.result),
          });
        }
        const state = await graph.getState(config);
        return { user: text, answer: textOf((state.values as { messages: BaseMessage[] }).messages.at(-1)), calls };
      },
    };
    return await runAll(
      selected.map((evalCase) => ({ evalCase, part: 'heldout' as const, templates: fixtures.cases.templates })),
      runner,
      {
        checkpointer,
        threadPrefix: `unseen-${Date.now().toString(36)}-`,
        timeoutMs: options.timeoutMs,
        onCase: options.onCase,
        prepare: ({ evalCase, templates }) => {
          const sets = (evalCase.sets ?? []).map((name) => {
            const set = loaded.get(name);
            if (!set) throw new Error(`case ${evalCase.id} binds tool set "${name}", which does not exist`);
            set.fake.reset();
            return set;
          });
          bound = sets.flatMap((set) => set.tools);
          caseModel.current = modelFor(model, evalCase, templates);
        },
      },
    );
  } finally {
    await Promise.all([...loaded.values()].map((set) => set.client.close()));
  }
}
