import type { Env } from '../config/env.ts';
import type { AgentDefinition } from './agent.ts';

/** What `servers/<name>/index.ts` exports as default: builds the agent from the environment. */
export type AgentFactory = (env: Env) => Promise<AgentDefinition>;
