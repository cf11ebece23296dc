export { PROMETHEUS_CONTENT_TYPE, createMetricsRegistry, renderMetrics } from './prometheus.ts';
