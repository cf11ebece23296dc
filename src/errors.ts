/**
 * Errors classed by who is at fault, so callers can tell a user what to change.
 *
 * - {@link UserError}: the caller's input or configuration is wrong; the message says what to fix.
 * - {@link ToolError}: a tool could not do what was asked (unknown record, invalid transition);
 *   it reaches the model as an error result it can act on.
 * - {@link UpstreamError}: a remote service (an MCP server, a model API, Tavily, a database) failed.
 * - {@link SystemError}: a bug or an unexpected state of our own.
 */
export class SwitchboardError extends Error {
  readonly hint: string | undefined;

  constructor(message: string, options?: { cause?: unknown; hint?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options?.hint;
  }
}

/** The caller's input or configuration is wrong. */
export class UserError extends SwitchboardError {}

/** Configuration (env, config file, flags) is invalid; the message names the setting. */
export class ConfigError extends UserError {}

/** A tool refused or failed in a way the model can act on. */
export class ToolError extends SwitchboardError {}

/** A remote dependency failed: an MCP server, a model endpoint, Tavily, a database. */
export class UpstreamError extends SwitchboardError {
  readonly service: string;
  readonly status: number | undefined;

  constructor(service: string, message: string, options?: { cause?: unknown; hint?: string; status?: number }) {
    super(message, options);
    this.service = service;
    this.status = options?.status;
  }
}

/** The model produced something unusable (malformed tool call, unknown tool). */
export class ModelBehaviorError extends SwitchboardError {}

/** A bug or unexpected state of our own. */
export class SystemError extends SwitchboardError {}

/** One line for a person: the message, the hint when there is one, never a stack trace. */
export function describeError(error: unknown): string {
  if (error instanceof SwitchboardError) {
    return error.hint ? `${error.message} (${error.hint})` : error.message;
  }
  // Node's connect to a name with several addresses (localhost: ::1 and 127.0.0.1) fails with an
  // AggregateError whose own message is empty; the first attempt's says what happened.
  if (error instanceof AggregateError && !error.message && error.errors.length > 0) return describeError(error.errors[0]);
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${error.message} [${code}]` : error.message;
  }
  return String(error);
}
