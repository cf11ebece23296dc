import { RUN_STATUSES } from './runStore.ts';

export interface OpenApiOptions {
  readonly version: string;
  readonly maxBodyBytes: number;
  readonly maxInputChars: number;
}

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str: Schema = { type: 'string' };
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
const object = (properties: Record<string, Schema>, required: string[] = Object.keys(properties), extra: Schema = {}): Schema => ({
  type: 'object',
  properties,
  required,
  ...extra,
});
const json = (schema: Schema, description: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema } },
});
const error = (description: string, headers?: Record<string, unknown>) => json(ref('Error'), description, headers);
const retryAfter = { 'Retry-After': { description: 'seconds to wait before trying again', schema: { type: 'integer', minimum: 1 } } };
const location = { Location: { description: 'the run: /v1/runs/{id}', schema: str } };
const idParam = { name: 'id', in: 'path', required: true, description: 'the run id (a UUID)', schema: str };

const common = {
  '401': error('no API key or access token, or one that is not valid (only when SWITCHBOARD_API_KEYS or MCP_OAUTH_ISSUER is set)', {
    'WWW-Authenticate': { schema: str },
  }),
  '403': error('the Host or Origin is not allowed, or the access token lacks the scope (insufficient_scope, with WWW-Authenticate)'),
  '500': error('a fault of the service (logged)'),
};

/** An event as it travels (SSE `data:`, or an item of an event page): the envelope plus its own fields. */
function event(type: string, fields: Record<string, Schema>, description: string): Schema {
  const envelope = { seq: { type: 'integer', minimum: 1 }, runId: str, type: { const: type }, at: { type: 'string', format: 'date-time' } };
  return {
    ...object({ ...envelope, ...fields }, [...Object.keys(envelope), ...Object.keys(fields).filter((k) => k !== 'decisions')]),
    description,
  };
}

const EVENT_TYPES: Record<string, Schema> = {
  run_started: event(
    'run_started',
    {
      threadId: str,
      request: str,
      model: str,
      servers: { type: 'array', items: str },
      resumed: { enum: [null, 'approval', 'restart'] },
      decisions: { type: 'object', additionalProperties: { $ref: '#/components/schemas/Decision' } },
    },
    'a stretch of the run began: the request, decisions after a pause (`approval`), or a takeover after a stop (`restart`)',
  ),
  tool_start: event('tool_start', { id: str, name: str, server: nullable(str), args: { type: 'object' } }, 'a tool call started'),
  tool_progress: event(
    'tool_progress',
    { id: str, name: str, progress: { type: 'number' }, total: nullable({ type: 'number' }), message: nullable(str) },
    'a tool reported progress',
  ),
  tool_end: event(
    'tool_end',
    {
      id: str,
      name: str,
      server: nullable(str),
      args: { type: 'object' },
      ok: { type: 'boolean' },
      durationMs: { type: 'number' },
      result: {},
    },
    'a tool call finished, with its duration',
  ),
  tool_declined: event('tool_declined', { id: str, name: str, reason: str }, 'a call that needed approval was refused and not run'),
  warning: event('warning', { message: str }, 'something the caller should know (a server skipped, a call refused)'),
  token: event('token', { text: str }, 'text of the answer as the model streams it (deltas gathered for ~50 ms)'),
  approval_needed: event(
    'approval_needed',
    { pending: { type: 'array', items: ref('PendingCall') } },
    'the run paused: POST /v1/runs/{id}/approval; the stream ends here',
  ),
  answer: event(
    'answer',
    { answer: str, toolCalls: { type: 'array', items: ref('ToolCall') }, warnings: { type: 'array', items: str } },
    'the final answer; the stream ends here',
  ),
  error: event('error', { code: str, message: str }, 'the run failed (`timeout`, `run_failed`); the stream ends here'),
  cancelled: event('cancelled', { reason: str }, 'the run was cancelled; the stream ends here'),
};

function schemas(options: OpenApiOptions): Record<string, Schema> {
  return {
    Error: object({
      error: object({
        code: {
          enum: [
            'bad_request',
            'invalid_json',
            'input_too_long',
            'unsupported_media_type',
            'payload_too_large',
            'unauthorized',
            'forbidden',
            'insufficient_scope',
            'not_found',
            'method_not_allowed',
            'conflict',
            'rate_limited',
            'unavailable',
            'internal',
          ],
        },
        message: str,
      }),
    }),
    RunStatus: { enum: [...RUN_STATUSES] },
    ToolCall: object({
      id: str,
      name: str,
      server: nullable(str),
      args: { type: 'object' },
      ok: { type: 'boolean' },
      durationMs: { type: 'number' },
      result: {},
    }),
    FailedCall: {
      ...object({ id: str, name: str, server: nullable(str), error: str }),
      description:
        'a call that ran and failed: an error result, a server that could not be reached or broke off mid-call (the error names it, its URL and the cause), or an unknown tool',
    },
    PendingCall: object({ id: str, name: str, server: nullable(str), args: { type: 'object' }, reason: str }),
    Run: object({
      id: str,
      threadId: str,
      status: ref('RunStatus'),
      request: str,
      model: str,
      servers: { type: 'array', items: str },
      answer: nullable(str),
      toolCalls: { type: 'array', items: ref('ToolCall') },
      failedCalls: {
        type: 'array',
        items: ref('FailedCall'),
        description: 'the calls of toolCalls that failed; a completed run whose every call failed did nothing',
      },
      warnings: { type: 'array', items: str },
      pending: { type: 'array', items: ref('PendingCall') },
      error: nullable(object({ code: str, message: str })),
      cancelRequested: { type: 'boolean' },
      lastEventId: { type: 'integer', minimum: 0, description: 'seq of the newest event; send it as Last-Event-ID for what follows' },
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
      finishedAt: nullable({ type: 'string', format: 'date-time' }),
    }),
    RunList: object({ runs: { type: 'array', items: ref('Run') } }),
    CreateRun: object(
      {
        input: { type: 'string', minLength: 1, maxLength: options.maxInputChars, description: 'the request in plain language' },
        threadId: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$', description: 'continue this thread (new when unknown)' },
        model: { type: 'string', description: 'offline | openai:<model> | azure:<deployment>; default: the service default' },
        servers: { type: 'array', items: str, minItems: 1, description: 'names of configured servers to use; default: all' },
      },
      ['input'],
      { additionalProperties: false },
    ),
    Decision: object({ approve: { type: 'boolean' }, edit: { type: 'object', description: 'replacement arguments' } }, ['approve'], {
      additionalProperties: false,
    }),
    ApprovalBody: {
      oneOf: [
        ref('Decision'),
        object(
          {
            decisions: {
              type: 'object',
              additionalProperties: ref('Decision'),
              description: 'keyed by pending call id; calls left out are refused',
            },
          },
          ['decisions'],
          { additionalProperties: false },
        ),
      ],
    },
    RunEvent: { oneOf: Object.keys(EVENT_TYPES).map((type) => ref(`Event_${type}`)) },
    ...Object.fromEntries(Object.entries(EVENT_TYPES).map(([type, schema]) => [`Event_${type}`, schema])),
    EventPage: object({
      runId: str,
      status: ref('RunStatus'),
      lastEventId: { type: 'integer', minimum: 0 },
      events: { type: 'array', items: ref('RunEvent') },
    }),
    ThreadMessage: object(
      {
        role: { enum: ['user', 'assistant', 'tool'] },
        content: str,
        toolCalls: { type: 'array', items: object({ id: str, name: str, args: { type: 'object' } }) },
        toolCallId: str,
        name: str,
        error: { type: 'boolean' },
      },
      ['role', 'content'],
    ),
    Thread: object({
      id: str,
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
      messages: { type: 'array', items: ref('ThreadMessage') },
      runs: {
        type: 'array',
        items: object({ id: str, status: ref('RunStatus'), request: str, createdAt: { type: 'string', format: 'date-time' } }),
      },
    }),
    Health: object({
      status: { const: 'ok' },
      service: { const: 'switchboard' },
      version: str,
      replica: str,
      draining: { type: 'boolean' },
    }),
    Ready: object({
      ready: { type: 'boolean' },
      draining: { type: 'boolean' },
      store: object({ kind: { enum: ['sqlite', 'postgres'] }, ok: { type: 'boolean' }, error: str }, ['kind', 'ok']),
      agents: {
        type: 'object',
        additionalProperties: object({ reachable: { type: 'boolean' }, httpStatus: { type: 'integer' }, error: str }, ['reachable']),
      },
    }),
    Index: object({ service: str, version: str, api: str, openapi: str, mcp: str }),
  };
}

const runResponses = (what: string) => ({
  '200': {
    description: `${what}: the run once it settles (completed, failed, cancelled, or waiting_approval) as JSON, or with \`Accept: text/event-stream\` its events live (SSE; \`id\` is the event's seq, \`event\` its type, \`data\` a RunEvent). A client that disconnects stops nothing.`,
    headers: location,
    content: {
      'application/json': { schema: ref('Run') },
      'text/event-stream': { schema: { type: 'string' }, itemSchema: ref('RunEvent') },
    },
  },
  '202': json(ref('Run'), 'accepted (`Prefer: respond-async`): follow GET /v1/runs/{id}/events', location),
  '400': error(
    'bad input: invalid JSON, a bad field, an unknown model or server (the message lists valid ones), an empty or too long input',
  ),
  ...common,
  '413': error('the body is larger than the cap'),
  '415': error('Content-Type is not application/json'),
  '429': error('this API key has too many runs running and queued', retryAfter),
  '503': error('the service is shutting down or its store is unreachable', retryAfter),
});

/** The OpenAPI 3.1 document of the service, served at `/openapi.json`. */
export function createOpenApiDocument(options: OpenApiOptions) {
  const bearer = [{ bearerAuth: [] }];
  const open: Record<string, string[]>[] = [{}];
  return {
    openapi: '3.1.0',
    info: {
      title: 'Switchboard',
      version: options.version,
      description: `A multi-agent orchestrator over remote MCP, as a service. Runs execute on the replica that accepted them; state (runs, events, threads) is shared through the store. Bodies are capped at ${options.maxBodyBytes} bytes and inputs at ${options.maxInputChars} characters. Every error is JSON { error: { code, message } }.`,
    },
    servers: [{ url: '/' }],
    security: bearer,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'an API key of SWITCHBOARD_API_KEYS (not needed when none are set)' },
        accessToken: { type: 'apiKey', in: 'query', name: 'access_token', description: 'the API key, for EventSource (events only)' },
      },
      schemas: schemas(options),
    },
    paths: {
      '/v1/runs': {
        post: {
          summary: 'Start a run',
          operationId: 'createRun',
          parameters: [{ name: 'Prefer', in: 'header', required: false, schema: str, description: '`respond-async`: answer 202 at once' }],
          requestBody: { required: true, content: { 'application/json': { schema: ref('CreateRun') } } },
          responses: {
            ...runResponses('Started'),
            '404': error('threadId names a thread of another API key'),
            '409': error('the thread has an active run'),
          },
        },
        get: {
          summary: "The caller's runs, newest first",
          operationId: 'listRuns',
          parameters: [
            { name: 'threadId', in: 'query', required: false, schema: str },
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
          ],
          responses: { '200': json(ref('RunList'), 'runs'), ...common },
        },
      },
      '/v1/runs/{id}': {
        parameters: [idParam],
        get: {
          summary: 'A run: status and result',
          operationId: 'getRun',
          responses: { '200': json(ref('Run'), 'the run'), ...common, '404': error('no such run for this API key') },
        },
        delete: {
          summary: 'Cancel a run',
          operationId: 'cancelRun',
          responses: {
            '200': json(ref('Run'), 'cancelled'),
            '202': json(ref('Run'), 'another replica runs it and was asked to stop; it ends `cancelled` shortly'),
            ...common,
            '404': error('no such run for this API key'),
            '409': error('the run has already finished'),
          },
        },
      },
      '/v1/runs/{id}/events': {
        parameters: [idParam],
        get: {
          summary: "A run's events: replayed after Last-Event-ID, then live until the run settles",
          operationId: 'runEvents',
          security: [{ bearerAuth: [] }, { accessToken: [] }],
          parameters: [
            {
              name: 'Last-Event-ID',
              in: 'header',
              required: false,
              schema: { type: 'string', pattern: '^\\d+$' },
              description: 'resume after this seq',
            },
            { name: 'after', in: 'query', required: false, schema: { type: 'integer', minimum: 0 }, description: 'same as Last-Event-ID' },
          ],
          responses: {
            '200': {
              description:
                'SSE with `Accept: text/event-stream` (ends after answer, error or cancelled, or at an approval_needed the run still waits on); otherwise a JSON page of up to 1,000 events',
              content: {
                'text/event-stream': { schema: { type: 'string' }, itemSchema: ref('RunEvent') },
                'application/json': { schema: ref('EventPage') },
              },
            },
            '400': error('Last-Event-ID or after is not a whole number'),
            ...common,
            '404': error('no such run for this API key'),
          },
        },
      },
      '/v1/runs/{id}/approval': {
        parameters: [idParam],
        post: {
          summary: 'Decide on the calls a paused run waits for, and resume it',
          description:
            '`{approve, edit?}` decides every pending call (`edit` only with one); `{decisions: {callId: {approve, edit?}}}` decides each. Any replica may take the decision. The response is as for POST /v1/runs, from the pause on.',
          operationId: 'approveRun',
          requestBody: { required: true, content: { 'application/json': { schema: ref('ApprovalBody') } } },
          responses: {
            ...runResponses('Resumed'),
            '404': error('no such run for this API key'),
            '409': error('the run is not waiting for approval'),
          },
        },
      },
      '/v1/threads/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: str }],
        get: {
          summary: "A thread's messages and runs",
          operationId: 'getThread',
          responses: { '200': json(ref('Thread'), 'the thread'), ...common, '404': error('no such thread for this API key') },
        },
      },
      '/healthz': {
        get: {
          summary: 'Liveness',
          operationId: 'health',
          security: open,
          responses: { '200': json(ref('Health'), 'the process is up'), '403': common['403'] },
        },
      },
      '/readyz': {
        get: {
          summary: 'Readiness: store reachable, agents reachable, not shutting down',
          operationId: 'ready',
          security: open,
          responses: { '200': json(ref('Ready'), 'ready'), '503': json(ref('Ready'), 'not ready'), '403': common['403'] },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics',
          operationId: 'metrics',
          responses: { '200': { description: 'text format 0.0.4', content: { 'text/plain': { schema: str } } }, ...common },
        },
      },
      '/openapi.json': {
        get: {
          summary: 'This document',
          operationId: 'openapi',
          security: open,
          responses: { '200': json({ type: 'object' }, 'OpenAPI 3.1') },
        },
      },
      '/': {
        get: {
          summary: 'The web page (when installed), else an index',
          operationId: 'index',
          security: open,
          responses: {
            '200': {
              description: 'the page, or links',
              content: { 'text/html': { schema: str }, 'application/json': { schema: ref('Index') } },
            },
          },
        },
      },
      '/mcp': {
        post: {
          summary:
            'MCP (Streamable HTTP, 2025-11-25) with one tool, orchestrate(request, thread_id?), whose progress notifications relay run events',
          description:
            'JSON-RPC; errors at this endpoint are JSON-RPC error objects, as MCP clients expect. GET opens the session stream, DELETE ends a session; /sse and /messages serve the legacy HTTP+SSE transport.',
          operationId: 'mcp',
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
          responses: {
            '200': { description: 'a JSON-RPC response, as JSON or SSE' },
            '202': { description: 'a notification or response was accepted' },
            '4XX': { description: 'a JSON-RPC error object' },
          },
        },
      },
    },
  };
}
