/**
 * The built-in agents as the help-desk evaluation runs them: real agent servers over Streamable
 * HTTP on port 0, on a fixed clock, with an incident store that is reset to the seed before
 * every case.
 */
import { ServerEntrySchema, type ServerEntry } from '../../src/config/file.ts';
import { startAgentServer, type RunningAgentServer } from '../../src/mcp/index.ts';
import { createAnalysisAgent } from '../../servers/analysis/index.ts';
import { createIncidentAgent, openSqliteIncidentRepository, type IncidentRepository } from '../../servers/incident/index.ts';
import { createSearchAgent } from '../../servers/search/index.ts';
import type { Seed } from './plannerEvalCases.ts';

export interface EvalAgents {
  /** Server entries for the orchestrator, named incident, search and analysis. */
  readonly servers: Record<string, ServerEntry>;
  /** Empties the incident store and seeds it again; the clock stands at the seed's `now` afterwards. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A repository whose store can be replaced: the agent server keeps one repository for its whole
 * life, and the evaluation swaps a fresh in-memory store under it between cases.
 */
function swappableRepository(first: IncidentRepository): IncidentRepository & { swap(next: IncidentRepository): Promise<void> } {
  let current = first;
  return {
    kind: 'sqlite',
    create: (input, actor) => current.create(input, actor),
    get: (number, options) => current.get(number, options),
    update: (number, changes, actor) => current.update(number, changes, actor),
    search: (query) => current.search(query),
    ping: () => current.ping(),
    close: () => current.close(),
    async swap(next) {
      const old = current;
      current = next;
      await old.close();
    },
  };
}

async function seededRepository(seed: Seed, clock: { at: Date }): Promise<IncidentRepository> {
  const repository = await openSqliteIncidentRepository({ path: ':memory:', now: () => clock.at });
  try {
    for (const incident of seed.incidents) {
      clock.at = new Date(incident.opened_at);
      const { incident: created } = await repository.create(incident.create as never, seed.actor);
      if (created.number !== incident.number) {
        throw new Error(`seed-incidents.json: ${incident.number} was created as ${created.number}; numbers must follow the file order`);
      }
      for (const step of incident.then ?? []) {
        clock.at = new Date(step.at);
        await repository.update(created.number, step.changes as never, seed.actor);
      }
    }
  } catch (error) {
    await repository.close();
    throw error;
  } finally {
    clock.at = new Date(seed.now);
  }
  return repository;
}

/** Starts incident, search (local knowledge base, no corpus watch) and analysis on loopback ports. */
export async function startEvalAgents(seed: Seed): Promise<EvalAgents> {
  const clock = { at: new Date(seed.now) };
  const repository = swappableRepository(await seededRepository(seed, clock));
  const running: RunningAgentServer[] = [];
  try {
    const definitions = {
      incident: createIncidentAgent({ repository }),
      search: await createSearchAgent({ local: { watch: false, now: () => new Date(seed.now) } }),
      analysis: createAnalysisAgent(),
    };
    const servers: Record<string, ServerEntry> = {};
    for (const [name, agent] of Object.entries(definitions)) {
      const server = await startAgentServer(agent, { port: 0 });
      running.push(server);
      servers[name] = ServerEntrySchema.parse({ url: server.url });
    }
    return {
      servers,
      reset: async () => repository.swap(await seededRepository(seed, clock)),
      close: async () => void (await Promise.all(running.map((server) => server.close(2000)))),
    };
  } catch (error) {
    await Promise.all(running.map((server) => server.close(2000)));
    await repository.close();
    throw error;
  }
}
