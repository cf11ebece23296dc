export {
  DEFAULT_SHUTDOWN_GRACE_MS,
  DEFAULT_WEB_DIR,
  SERVICE_VERSION,
  createServiceApp,
  type ServiceApp,
  type ServiceAppOptions,
} from './app.ts';
export { createApiAuth, keyName, type ApiAuth } from './auth.ts';
export { DEFAULT_FOLLOW_POLL_MS, RunEventBus, followRun, type FollowOptions } from './events.ts';
export { HttpError, runRefusalToHttp, type ErrorCode } from './httpError.ts';
export { DEFAULT_CONCURRENCY_PER_KEY, DEFAULT_QUEUE_PER_KEY, KeyedLimiter, type Ticket } from './limiter.ts';
export { createOrchestrateAgent, describeRunEvent, toolErrorOf, type OrchestrateAgentOptions } from './mcpFace.ts';
export { createOpenApiDocument } from './openapi.ts';
export { DEFAULT_MAX_ORCHESTRATORS, OrchestratorCache, createEnvModelResolver, type ModelResolver } from './orchestrators.ts';
export { NOTIFY_CHANNEL, openPostgresRunStore, type PostgresRunStoreOptions } from './postgresRunStore.ts';
export { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_INPUT_CHARS } from './requests.ts';
export {
  DEFAULT_LIVENESS_POLL_MS,
  DEFAULT_RUN_ATTEMPTS,
  DEFAULT_STRETCHES_PER_REPLICA,
  GAVE_UP_QUEUE,
  MIN_JOB_HEARTBEAT_SECONDS,
  RUN_QUEUE,
  RunQueue,
  openRunQueue,
  type RunQueueOptions,
} from './runQueue.ts';
export type { ApprovalInput } from './approvals.ts';
export { RunConflictError, RunInputError, RunLimitedError, RunNotFoundError, RunRefusal, RunUnavailableError } from './runErrors.ts';
export {
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_RETENTION_MS,
  DEFAULT_RUN_TIMEOUT_MS,
  DEFAULT_STALE_AFTER_MS,
  RunManager,
  type RunManagerOptions,
  type StartRequest,
} from './runs.ts';
export {
  ACTIVE_STATUSES,
  FINAL_STATUSES,
  RUN_STATUSES,
  type ApprovalMode,
  type RunRecord,
  type RunStatus,
  type RunStore,
  type StoredEvent,
  type ToolCallSummary,
} from './runStore.ts';
export { SERVICE_SQLITE_FILE, openSqliteRunStore, sqliteRunStorePath, type SqliteRunStoreOptions } from './sqliteRunStore.ts';
export { openRunStore, type RunStoreOptions } from './openStore.ts';
export { runView, type RunView } from './view.ts';
