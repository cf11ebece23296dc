import type { z } from 'zod';

/** MCP logging levels (RFC 5424 names), lowest first. */
export const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Who is calling: the bearer token's subject, or `anonymous` when no auth is configured. */
export interface Identity {
  readonly subject: string;
  readonly authenticated: boolean;
  /** The scopes of an OAuth access token; absent for static tokens and anonymous callers (not limited by scope). */
  readonly scopes?: readonly string[];
  /** The OAuth client the token was issued to (`client_id`), when it says. */
  readonly clientId?: string;
}

export const ANONYMOUS: Identity = Object.freeze({ subject: 'anonymous', authenticated: false });

/** What a tool handler gets besides its arguments. */
export interface ToolContext {
  /** Report progress; a no-op when the caller asked for none. `total` may be unknown. */
  progress(done: number, total?: number, message?: string): Promise<void>;
  /** Send a log message to the caller (filtered by the level it set). */
  log(level: LogLevel, message: string): Promise<void>;
  /**
   * Send a log message to the session rather than as part of this call: it goes on the client's GET
   * stream (on whichever replica holds it) and may be sent after the call ended. Filtered by the level
   * the client set; dropped when the client listens on no GET stream (and always without a session).
   */
  sessionLog(level: LogLevel, message: string): Promise<void>;
  /** Aborted when the caller cancels, the session ends or the server shuts down. */
  readonly signal: AbortSignal;
  readonly identity: Identity;
  /** The MCP session, when the transport has one. */
  readonly sessionId: string | undefined;
}

/** A handler's answer: machine-readable content plus a short rendering for people and models. */
export interface ToolOutput<O> {
  readonly structured: O;
  readonly text: string;
}

/** MCP tool annotations; set them honestly, clients decide on approvals with them. */
export interface ToolAnnotations {
  readonly readOnlyHint: boolean;
  readonly destructiveHint: boolean;
  readonly idempotentHint: boolean;
  readonly openWorldHint: boolean;
}

export type ObjectSchema = z.ZodObject<z.ZodRawShape>;

export interface ToolDefinition<I extends ObjectSchema = ObjectSchema, O extends ObjectSchema = ObjectSchema> {
  /** snake_case, unique within the agent. */
  readonly name: string;
  readonly title: string;
  /** Written for a model to choose by: what it does, when to use it, what it returns. */
  readonly description: string;
  readonly input: I;
  readonly output: O;
  readonly annotations: ToolAnnotations;
  /** Throw a `ToolError` (or any error) to return an error result the model can act on. */
  handler(args: z.infer<I>, context: ToolContext): Promise<ToolOutput<z.infer<O>>>;
}

/** Anything an agent reports on `/readyz` (backend in use, store reachable, ...). */
export type Readiness = { readonly ready: boolean } & Readonly<Record<string, unknown>>;

export interface AgentDefinition {
  /** Lower-case, used in URLs, metric labels and the `ask_<name>_agent` tool. */
  readonly name: string;
  readonly version: string;
  /** Tells a model how to use this agent's tools. Sent as the server's `instructions`. */
  readonly instructions: string;
  readonly tools: readonly ToolDefinition[];
  /** Readiness of the agent's own dependencies; default: ready. */
  readonly readiness?: () => Promise<Readiness>;
  /** Releases the agent's resources (database pools, file watchers); called once at shutdown. */
  readonly close?: () => Promise<void>;
}

/** Keeps a tool's handler typed against its own schemas. */
export function defineTool<I extends ObjectSchema, O extends ObjectSchema>(tool: ToolDefinition<I, O>): ToolDefinition {
  return tool as unknown as ToolDefinition;
}

const NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/** Validates and freezes an agent definition; throws on a duplicate or malformed tool name. */
export function defineAgent(agent: AgentDefinition): AgentDefinition {
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(agent.name)) {
    throw new TypeError(`agent name "${agent.name}" must be lower-case letters, digits and dashes`);
  }
  const seen = new Set<string>();
  for (const tool of agent.tools) {
    if (!NAME_PATTERN.test(tool.name)) {
      throw new TypeError(`tool name "${tool.name}" of agent "${agent.name}" must be snake_case`);
    }
    if (seen.has(tool.name)) throw new TypeError(`agent "${agent.name}" defines tool "${tool.name}" twice`);
    seen.add(tool.name);
  }
  return Object.freeze({ ...agent, tools: Object.freeze([...agent.tools]) });
}
