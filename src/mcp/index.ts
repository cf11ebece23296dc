export {
  ANONYMOUS,
  LOG_LEVELS,
  defineAgent,
  defineTool,
  type AgentDefinition,
  type Identity,
  type LogLevel,
  type ObjectSchema,
  type Readiness,
  type ToolAnnotations,
  type ToolContext,
  type ToolDefinition,
  type ToolOutput,
} from './agent.ts';
export { createAgentApp, type AgentApp, type AgentAppOptions, type KitTables } from './app.ts';
export { withAskAgentTool } from './askAgent.ts';
export { MCP_EXPOSED_HEADERS, MCP_REQUEST_HEADERS, createCors, type CorsOptions, type CorsOutcome } from './cors.ts';
export { InMemoryEventStore, parseEventId, type EventStore, type StoredEvent } from './eventStore.ts';
export type { AgentFactory } from './factory.ts';
export {
  AuthServerUnavailableError,
  DEFAULT_READ_SCOPE,
  DEFAULT_WRITE_SCOPE,
  InvalidTokenError,
  createOAuthResource,
  createScopeCheck,
  type OAuthResource,
  type OAuthResourceOptions,
  type ScopeCheck,
} from './oauth.ts';
export { createRequestAuthenticator, type AuthRefusal, type RequestAuthenticator } from './requestAuth.ts';
export { RedisEventStore, uniqueRedisPrefix, type RedisEventStoreOptions } from './redisEventStore.ts';
export { DEFAULT_HEARTBEAT_MS, RedisSessionStore, type RedisSessionStoreOptions, type SessionRecord } from './redisSessions.ts';
export { REPLICA_LOST } from './remoteStream.ts';
export { createWebServer, isLoopbackHost, originOf, transportNotice, type TransportNotice } from './listen.ts';
export { startAgentServer, type AgentServerOptions, type RunningAgentServer } from './serve.ts';
export { DEFAULT_IDLE_TIMEOUT_MS, DEFAULT_MAX_LIFETIME_MS } from './sessionManager.ts';
export { serveStdio } from './stdio.ts';
