export { McpClientPool, type ClientPoolOptions, type PoolToolMetadata, type UnavailableServer } from './pool.ts';
export { ClientCredentialsClient, OAuthFlowError, createOAuthFetch, oauthClientFor, type HeadlessOAuthProvider } from './oauthClient.ts';
export { MODEL_TOOL_NAME, assignToolNames, candidateNames, type ToolNaming, type ToolRef } from './toolNames.ts';
export { McpCallError, describeCause, type FailureCause } from './connectionErrors.ts';
export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_MAX_TOTAL_TIMEOUT_MS,
  ServerConnection,
  type ServerConnectionOptions,
} from './serverConnection.ts';
export { DEFAULT_MAX_OUTPUT_CHARS, shapeToolResult } from './toolOutput.ts';
export {
  ORCHESTRATOR_INSTRUCTIONS,
  NoToolsError,
  createOrchestrator,
  failedCallsOf,
  type ApprovalPolicy,
  type FailedCall,
  type Orchestrator,
  type OrchestratorOptions,
  type RunInput,
  type RunOptions,
  type RunResult,
  type ToolCallRecord,
} from './orchestrator.ts';
