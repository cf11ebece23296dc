import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { openSqliteIncidentRepository } from '../../../servers/incident/sqliteRepository.ts';

/** What the SQLite concurrency test sends each worker thread. */
export interface CreateBurst {
  readonly path: string;
  readonly count: number;
  readonly worker: number;
  readonly idempotencyKey?: string;
}

// Runs only as a worker thread: one more client of the same file, truly in parallel.
if (!isMainThread && parentPort !== null) {
  const burst = workerData as CreateBurst;
  const repository = await openSqliteIncidentRepository({ path: burst.path });
  const numbers: string[] = [];
  let created = 0;
  for (let i = 0; i < burst.count; i += 1) {
    // A key stands for one request retried, so every worker sends the same one (same text, same caller).
    const keyed = burst.idempotencyKey !== undefined;
    const result = await repository.create(
      {
        short_description: keyed ? 'One request, retried' : `Worker ${burst.worker} incident ${i}`,
        idempotency_key: burst.idempotencyKey,
      },
      keyed ? 'worker' : `worker${burst.worker}`,
    );
    numbers.push(result.incident.number);
    if (result.created) created += 1;
  }
  await repository.close();
  parentPort.postMessage({ numbers, created });
}
