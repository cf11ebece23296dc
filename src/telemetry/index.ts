export {
  LOG_LEVELS,
  createLogger,
  prettyLine,
  silentLogger,
  type LogFormat,
  type LogLevel,
  type Logger,
  type LoggerOptions,
} from './logger.ts';
export { PROMETHEUS_CONTENT_TYPE, createMetricsRegistry, renderMetrics } from './prometheus.ts';
export { REQUEST_ID_HEADER, currentRequestId, requestIdOf, withRequestId } from './requestContext.ts';
export { installTracing, startTracing, type InstallTracingOptions, type Tracing, type TracingSettings } from './otel.ts';
export {
  SpanKind,
  inSpan,
  markSpanError,
  traceContextOf,
  traced,
  tracingActive,
  tracingRecordsArgs,
  withTraceMeta,
  type Span,
  type SpanOptions,
} from './tracing.ts';
