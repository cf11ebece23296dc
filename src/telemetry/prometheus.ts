import { Registry, collectDefaultMetrics } from 'prom-client';

/** The content type of Prometheus's text exposition format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

let processRegistry: Registry | undefined;

/**
 * prom-client's default metrics (CPU, memory, heap, event-loop lag, GC, handles) for this process,
 * registered once however many agents and services it hosts: each would otherwise add its own GC
 * observer and event-loop monitor, and a scrape would count the same process several times.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** A registry of one component's own metrics (an agent's, the service's); create one per app. */
export function createMetricsRegistry(): Registry {
  return new Registry();
}

/** The component's metrics followed by the process's default ones, in the text format. */
export async function renderMetrics(own: Registry): Promise<string> {
  const [mine, shared] = await Promise.all([own.metrics(), processMetrics().metrics()]);
  return `${mine.trimEnd()}\n\n${shared}`;
}
