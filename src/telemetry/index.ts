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
