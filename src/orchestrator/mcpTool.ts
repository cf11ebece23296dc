import { CallbackManager, type CallbackManagerForToolRun } from '@langchain/core/callbacks/manager';
import { ToolMessage } from '@langchain/core/messages';
import { AsyncLocalStorageProviderSingleton } from '@langchain/core/singletons';
import { DynamicStructuredTool, ToolInputParsingException } from '@langchain/core/tools';
import type { ToolRunnableConfig } from '@langchain/core/tools';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/cfworker-provider.js';
import type { JsonSchemaType, JsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import type { ServerConnection } from './serverConnection.ts';

/** What the tool is called through: a {@link ServerConnection}, or anything with its `callTool`. */
export type McpToolClient = Pick<ServerConnection, 'callTool'>;

/**
 * A failed call as @langchain/mcp-adapters reports it (its `ToolException` is not exported):
 * LangChain passes it to the run, which shows the model its message.
 */
class ToolException extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolException';
  }
}

type Block = CallToolResult['content'][number];
type Artifact = Record<string, unknown>;
type Output = [string | Artifact[] | Artifact, Artifact[]];

/** LangChain validates arguments with @cfworker/json-schema's defaults (draft 2019-09, first error only): the same here. */
const argumentValidators = new CfWorkerJsonSchemaValidator({ draft: '2019-09', shortcircuit: true });

/** A schema every input passes: LangChain's own check, run while it is in place, then costs nothing. */
const ANY_INPUT = true as unknown as DynamicStructuredTool['schema'];

const isToolCall = (arg: unknown): arg is { args: unknown; id?: unknown } =>
  typeof arg === 'object' && arg !== null && (arg as { type?: unknown }).type === 'tool_call';

type InvokeConfig = Parameters<DynamicStructuredTool['invoke']>[1];

/**
 * One MCP tool as a LangChain tool, called through our connection, in the shape
 * @langchain/mcp-adapters gives its tools (name, simplified schema, `content_and_artifact`
 * output, the same messages for errors) without the adapter's per-call work: LangChain checks a
 * JSON-schema tool's arguments by walking (dereferencing) the whole schema again on every call,
 * and the adapter reads the LangGraph task's state for hooks nobody set. The arguments are
 * checked here against the same schema, with a validator prepared once per tool.
 */
export class McpTool extends DynamicStructuredTool {
  readonly #validate: JsonSchemaValidator<unknown>;
  readonly #call: (args: Record<string, unknown>, signal: AbortSignal | undefined) => Promise<Output>;

  constructor(fields: {
    name: string;
    description: string;
    schema: Record<string, unknown>;
    metadata: Record<string, unknown> | undefined;
    server: string;
    mcpName: string;
    client: McpToolClient;
  }) {
    const { server, mcpName, client } = fields;
    const call = (args: Record<string, unknown>, signal: AbortSignal | undefined) => callMcpTool(client, server, mcpName, args, signal);
    super({
      name: fields.name,
      description: fields.description,
      schema: fields.schema,
      responseFormat: 'content_and_artifact',
      metadata: fields.metadata,
      func: (args: Record<string, unknown>, _run: CallbackManagerForToolRun | undefined, config?: ToolRunnableConfig) =>
        call(args, config?.signal),
    });
    this.#validate = argumentValidators.getValidator(fields.schema as JsonSchemaType);
    this.#call = call;
  }

  /**
   * A tool call that nothing observes goes straight to the server: LangChain's invoke would merge
   * configs and set up a callback run only to report it to no handler. The message, the errors and
   * the signal it follows are LangChain's. With a handler (a tracer, an event stream), a default
   * config or a timeout, LangChain's own path runs.
   */
  override async invoke(...[input, config]: Parameters<DynamicStructuredTool['invoke']>): ReturnType<DynamicStructuredTool['invoke']> {
    const signal = isToolCall(input) && typeof input.id === 'string' && input.id !== '' ? this.#unobserved(config) : false;
    if (signal === false) return super.invoke(input, config);
    const { args, id } = input as unknown as { args: Record<string, unknown>; id: string };
    if (!this.#validate(args).valid) {
      throw new ToolInputParsingException('Received tool input did not match expected schema', JSON.stringify(args));
    }
    const [content, artifact] = await this.#call(args, signal);
    return new ToolMessage({
      status: 'success',
      // As LangChain formats it: text or content blocks as they are, anything else as JSON.
      content: typeof content === 'string' || Array.isArray(content) ? (content as ToolMessage['content']) : JSON.stringify(content),
      artifact,
      tool_call_id: id,
      name: this.name,
      metadata: this.metadata,
    });
  }

  /**
   * The signal a call with `config` follows (its own, else the enclosing step's) when no callback
   * handler would see the call and LangChain would add nothing to it; false otherwise.
   */
  #unobserved(config: InvokeConfig): AbortSignal | undefined | false {
    if (this.defaultConfig !== undefined) return false;
    const outer = AsyncLocalStorageProviderSingleton.getRunnableConfig() as InvokeConfig;
    if (config?.timeout !== undefined || outer?.timeout !== undefined) return false;
    const manager = CallbackManager.configure(
      config?.callbacks ?? outer?.callbacks,
      this.callbacks,
      config?.tags ?? outer?.tags,
      this.tags,
      config?.metadata ?? outer?.metadata,
      this.metadata,
      { verbose: this.verbose },
    );
    if (manager !== undefined && manager.handlers.length > 0) return false;
    return config?.signal ?? outer?.signal;
  }

  // LangChain's own `call` checks the arguments before its first await: with the schema swapped
  // for one that takes anything during that synchronous part, its check is free and ours counts.
  override async call(...[arg, configArg, tags]: Parameters<DynamicStructuredTool['call']>): ReturnType<DynamicStructuredTool['call']> {
    if (!this.#validate(isToolCall(arg) ? arg.args : arg).valid) {
      throw new ToolInputParsingException('Received tool input did not match expected schema', JSON.stringify(arg));
    }
    const schema = this.schema;
    this.schema = ANY_INPUT;
    try {
      return super.call(arg, configArg, tags);
    } finally {
      this.schema = schema;
    }
  }
}

async function callMcpTool(
  client: McpToolClient,
  server: string,
  tool: string,
  args: Record<string, unknown>,
  signal: AbortSignal | undefined,
): Promise<Output> {
  try {
    const result = await client.callTool({ name: tool, arguments: args }, undefined, signal ? { signal } : undefined);
    return toToolOutput(result, server, tool);
  } catch (error) {
    if ((error as { name?: unknown }).name === 'ToolException') throw error;
    throw new ToolException(`Error calling tool ${tool}: ${String(error)}`);
  }
}

/**
 * A result as @langchain/mcp-adapters converts it (standard content blocks off, default output
 * handling): an error result throws; text, image, audio and resource links become content,
 * embedded resources artifacts, as they came; one text block is handed over as a plain string,
 * or with the result's structured content and `_meta` beside it.
 */
function toToolOutput(result: CallToolResult, server: string, tool: string): Output {
  if (!Array.isArray(result.content)) {
    throw new ToolException(
      `MCP tool '${tool}' on server '${server}' returned an invalid result - expected an array of content, but was ${typeof result.content}`,
    );
  }
  if (result.isError) {
    const text = result.content.map((block) => (block.type === 'text' ? block.text : '')).join('\n');
    throw new ToolException(`MCP tool '${tool}' on server '${server}' returned an error: ${text}`);
  }
  const content: Artifact[] = [];
  const artifacts: Artifact[] = [];
  for (const block of result.content) {
    if (block.type === 'resource') artifacts.push(block);
    else content.push(contentBlock(block, server, tool));
  }
  const structured = result.structuredContent;
  const meta = result._meta;
  if (structured) artifacts.push({ type: 'mcp_structured_content', data: structured });
  if (meta) artifacts.push({ type: 'mcp_meta', data: meta });
  const only = content.length === 1 && content[0]!['type'] === 'text' ? content[0]! : undefined;
  if (!only) return [content, artifacts];
  if (!structured && !meta) return [only['text'] as string, artifacts];
  return [{ ...only, ...(structured ? { structuredContent: structured } : {}), ...(meta ? { meta } : {}) }, artifacts];
}

function contentBlock(block: Block, server: string, tool: string): Artifact {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'image':
      return { type: 'image_url', image_url: { url: `data:${block.mimeType};base64,${block.data}` } };
    case 'audio':
      return { type: 'audio', source_type: 'base64', data: block.data, mime_type: block.mimeType };
    case 'resource_link':
      return { type: 'file', source_type: 'url', url: block.uri, mime_type: block.mimeType };
    default:
      throw new ToolException(
        `MCP tool '${tool}' on server '${server}' returned a content block with unexpected type "${(block as { type: string }).type}." Expected one of "audio", "image", "resource", "resource_link", "text".`,
      );
  }
}
