import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { setTracingState } from './tracing.ts';

/** What `startTracing` does, from the standard `OTEL_*` variables (see `tracingSettings` in env.ts). */
export interface TracingSettings {
  /** Default false: nothing is loaded and every span helper is a plain call. */
  readonly enabled: boolean;
  /** Default `otlp`. */
  readonly exporter?: 'otlp' | 'console';
  /** The OTLP/HTTP traces URL; default the exporter's own (`http://localhost:4318/v1/traces`). */
  readonly tracesUrl?: string;
  readonly serviceName: string;
  /** Record tool-call argument values on spans. Default false. */
  readonly recordArgs?: boolean;
}

/** Stops tracing: flushes spans not yet exported, then drops the provider. */
export interface Tracing {
  shutdown(): Promise<void>;
}

const OFF: Tracing = { shutdown: async () => {} };

/**
 * Installs the OpenTelemetry SDK when `settings.enabled`: spans batched to OTLP/HTTP (or printed),
 * W3C Trace Context propagation, async-local context. The SDK is imported only then, so a process
 * that does not trace never loads it.
 */
export async function startTracing(settings: TracingSettings): Promise<Tracing> {
  if (!settings.enabled) return OFF;
  const sdk = await import('@opentelemetry/sdk-trace');
  const exporter: SpanExporter =
    settings.exporter === 'console'
      ? new sdk.ConsoleSpanExporter()
      : new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter(
          settings.tracesUrl === undefined ? {} : { url: settings.tracesUrl },
        );
  return installTracing({ exporter, serviceName: settings.serviceName, recordArgs: settings.recordArgs, batch: true });
}

export interface InstallTracingOptions {
  readonly exporter: SpanExporter;
  readonly serviceName?: string;
  readonly recordArgs?: boolean;
  /** Batch spans before export (production); default false: each span is exported as it ends (tests). */
  readonly batch?: boolean;
}

/** Installs a tracer provider exporting to `exporter` (an in-memory one in tests); `shutdown` removes it again. */
export async function installTracing(options: InstallTracingOptions): Promise<Tracing> {
  const [api, sdk, { W3CTraceContextPropagator }, { AsyncLocalStorageContextManager }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/core'),
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/resources'),
  ]);
  const processor = options.batch
    ? new sdk.BatchSpanProcessor({ exporter: options.exporter })
    : new sdk.SimpleSpanProcessor({ exporter: options.exporter });
  const provider = new sdk.TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName ?? 'switchboard' }),
    spanProcessors: [processor],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  api.context.setGlobalContextManager(contextManager);
  api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  api.trace.setGlobalTracerProvider(provider);
  setTracingState(api, options.recordArgs ?? false);
  return {
    async shutdown() {
      setTracingState(undefined);
      await provider.shutdown();
      api.trace.disable();
      api.propagation.disable();
      api.context.disable();
    },
  };
}
