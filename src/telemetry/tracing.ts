// Only types from the API here: a process that does not trace never loads it. The API itself is
// handed over by `installTracing` (otel.ts), which imports it with the SDK.
import type * as OtelApi from '@opentelemetry/api';
import type { Attributes, Context, Span } from '@opentelemetry/api';

/** The instrumentation scope of every Switchboard span. */
export const TRACER_NAME = 'switchboard';

type Api = typeof OtelApi;

interface TracingState {
  /** A tracer provider is installed: spans are recorded (until then every helper is a plain call). */
  active: boolean;
  /** Record tool-call argument values on spans (they may hold personal data). */
  recordArgs: boolean;
  /** The OpenTelemetry API, set while active. */
  api: Api | undefined;
}

const state: TracingState = { active: false, recordArgs: false, api: undefined };

/**
 * Marks tracing on (with the OpenTelemetry API to record through) or off (`api` undefined) for
 * the helpers below; `installTracing` calls it.
 */
export function setTracingState(api: Api | undefined, recordArgs = false): void {
  state.active = api !== undefined;
  state.api = api;
  state.recordArgs = recordArgs;
}

/** Whether spans are being recorded. Default false: then tracing costs one boolean test per call. */
export function tracingActive(): boolean {
  return state.active;
}

/** Whether spans may carry tool-call argument values (`SWITCHBOARD_TRACE_ARGS`). Default false. */
export function tracingRecordsArgs(): boolean {
  return state.recordArgs;
}

/**
 * The span kinds of the OpenTelemetry API (its `SpanKind` enum, same values), here so that a
 * caller names one without loading the API.
 */
export const SpanKind = { INTERNAL: 0, SERVER: 1, CLIENT: 2, PRODUCER: 3, CONSUMER: 4 } as const satisfies Record<
  keyof typeof OtelApi.SpanKind,
  OtelApi.SpanKind
>;
export type SpanKind = OtelApi.SpanKind;

/** OpenTelemetry's `SpanStatusCode.ERROR`. */
const STATUS_ERROR = 2 satisfies OtelApi.SpanStatusCode.ERROR;

export type { Span };

export interface SpanOptions {
  readonly kind?: SpanKind;
  readonly attributes?: Attributes;
  /** The parent, when not the active context (a caller's context taken from `_meta`). */
  readonly parent?: Context;
}

/**
 * Runs `fn` inside a span named `name`, active for everything `fn` starts; a throw marks the span
 * an error (and is rethrown). Without tracing, just calls `fn`.
 */
export async function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span | undefined) => Promise<T>): Promise<T> {
  const api = state.api;
  if (!api) return fn(undefined);
  const tracer = api.trace.getTracer(TRACER_NAME);
  return tracer.startActiveSpan(
    name,
    { kind: options.kind, attributes: options.attributes },
    options.parent ?? api.context.active(),
    async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: STATUS_ERROR, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** Marks a span failed without a throw (a tool that answered with an error result). */
export function markSpanError(span: Span | undefined, message: string): void {
  span?.setStatus({ code: STATUS_ERROR, message });
}

/**
 * The request `_meta` with the active trace context added (`traceparent`, `tracestate`, W3C
 * Trace Context), so the MCP server continues this trace. Unchanged without tracing.
 */
export function withTraceMeta(meta: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> | undefined {
  const api = state.api;
  if (!api) return meta as Record<string, unknown> | undefined;
  const carrier: Record<string, string> = {};
  api.propagation.inject(api.context.active(), carrier);
  return Object.keys(carrier).length === 0 ? (meta as Record<string, unknown> | undefined) : { ...meta, ...carrier };
}

/**
 * The caller's trace context from a request's `_meta` (the root context when absent); undefined
 * when tracing is off.
 */
export function traceContextOf(meta: Readonly<Record<string, unknown>> | undefined): Context | undefined {
  const api = state.api;
  if (!api) return undefined;
  if (!meta) return api.ROOT_CONTEXT;
  const carrier: Record<string, string> = {};
  for (const key of ['traceparent', 'tracestate']) if (typeof meta[key] === 'string') carrier[key] = meta[key];
  return api.propagation.extract(api.ROOT_CONTEXT, carrier);
}

/**
 * `target` with the named async methods each wrapped in a span `prefix.method` of kind CLIENT
 * (for stores). Returns `target` itself when tracing is off, so untraced code runs as before.
 */
export function traced<T extends object>(
  target: T,
  prefix: string,
  methods: readonly (keyof T & string)[],
  attributes: Attributes = {},
): T {
  if (!state.active) return target;
  const wrapped = new Set<string>(methods);
  return new Proxy(target, {
    get(object, key, receiver) {
      const value = Reflect.get(object, key, receiver) as unknown;
      if (typeof value !== 'function' || typeof key !== 'string' || !wrapped.has(key)) return value;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      return (...args: unknown[]) => inSpan(`${prefix}.${key}`, { kind: SpanKind.CLIENT, attributes }, () => method.apply(object, args));
    },
  });
}
