export { McpClientPool, type ClientPoolOptions } from './pool.ts';
export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_MAX_TOTAL_TIMEOUT_MS,
  ServerConnection,
  type ServerConnectionOptions,
} from './serverConnection.ts';
export { DEFAULT_MAX_OUTPUT_CHARS, shapeToolResult } from './toolOutput.ts';
export {
  ORCHESTRATOR_INSTRUCTIONS,
  createOrchestrator,
  type ApprovalPolicy,
  type Orchestrator,
  type OrchestratorOptions,
  type RunInput,
  type RunOptions,
  type RunResult,
  type ToolCallRecord,
} from './orchestrator.ts';
