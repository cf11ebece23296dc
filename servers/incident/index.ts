import type { Env } from '../../src/config/env.ts';
import { describeError } from '../../src/errors.ts';
import { defineAgent, type AgentDefinition, type AgentFactory } from '../../src/mcp/index.ts';
import type { PostgresIncidentRepositoryOptions } from './postgresRepository.ts';
import type { IncidentRepository } from './repository.ts';
import { openSqliteIncidentRepository, sqliteIncidentPath } from './sqliteRepository.ts';
import { createIncidentTools } from './tools.ts';

/** Sent to models as the server's instructions. */
export const INCIDENT_INSTRUCTIONS = `You manage IT incidents in a ServiceNow-like system. Incident numbers look like INC0010001; never invent one: take it from create_incident or find it with search_incidents. Before opening a new incident for a problem that may already be reported, search for it (search_incidents with a few key words and active=true). When creating, write a one-line short_description, put details in description, and set urgency (how fast it must be fixed) and impact (how many are affected) as high, medium or low (1, 2, 3 also work); priority 1 - Critical ... 5 - Planning is derived from them. Pass an idempotency_key when a request might be retried, so it cannot create duplicates.

Change incidents with update_incident: only the fields you pass change, and a work_note is appended to the journal. States move New -> In Progress -> Resolved -> Closed; On Hold needs a hold_reason (Awaiting Caller, Awaiting Change, Awaiting Problem, Awaiting Vendor); resolving needs resolution_code (e.g. "Solved (Permanently)", "Solved (Work Around)", "Not Solved (Not Reproducible)", "Duplicate") and a resolution_note saying what fixed it; a Resolved incident can be reopened to In Progress or Closed; Closed and Canceled incidents are final. If a tool refuses, its message says what is allowed: correct the call instead of retrying it unchanged. Use get_incident (include_audit for history) to read one incident, and report incident numbers to the user.`;

export interface IncidentAgentOptions {
  /** Closed when the agent closes. */
  readonly repository: IncidentRepository;
}

/** The incident agent over a repository (tests pass their own). */
export function createIncidentAgent(options: IncidentAgentOptions): AgentDefinition {
  const { repository } = options;
  return defineAgent({
    name: 'incident',
    version: '0.1.0',
    instructions: INCIDENT_INSTRUCTIONS,
    tools: createIncidentTools(repository),
    async readiness() {
      try {
        await repository.ping();
        return { ready: true, store: repository.kind };
      } catch (error) {
        return { ready: false, store: repository.kind, error: describeError(error) };
      }
    },
    close: () => repository.close(),
  });
}

/** PostgreSQL when `DATABASE_URL` is set, else SQLite at `<SWITCHBOARD_DATA_DIR>/incident.sqlite`. */
export function openIncidentRepository(env: Pick<Env, 'DATABASE_URL' | 'SWITCHBOARD_DATA_DIR'>): Promise<IncidentRepository> {
  return env.DATABASE_URL === undefined
    ? openSqliteIncidentRepository({ path: sqliteIncidentPath(env.SWITCHBOARD_DATA_DIR) })
    : openPostgresIncidentRepository({ connectionString: env.DATABASE_URL });
}

const createAgent: AgentFactory = async (env) => createIncidentAgent({ repository: await openIncidentRepository(env) });
export default createAgent;

export { createIncidentTools } from './tools.ts';
export type { PostgresIncidentRepositoryOptions } from './postgresRepository.ts';

/** The PostgreSQL repository; `pg` loads only when one is opened, so a SQLite agent starts without it. */
export async function openPostgresIncidentRepository(options: PostgresIncidentRepositoryOptions): Promise<IncidentRepository> {
  const postgres = await import('./postgresRepository.ts');
  return postgres.openPostgresIncidentRepository(options);
}
export {
  INCIDENT_SQLITE_FILE,
  openSqliteIncidentRepository,
  sqliteIncidentPath,
  type SqliteIncidentRepositoryOptions,
} from './sqliteRepository.ts';
export type { IncidentPage, IncidentQuery, IncidentRepository } from './repository.ts';
