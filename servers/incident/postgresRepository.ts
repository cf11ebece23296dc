import { createPostgresStore, migratePostgres, sqlStateOf, type PostgresStore, type SqlClient } from '../../src/store/index.ts';
import { POSTGRES_MIGRATIONS } from './migrations.ts';
import { formatNumber, type Incident, type IncidentChanges, type NewIncident } from './model.ts';
import { newIncidentRecord, planUpdate } from './rules.ts';
import { checkTextFields } from './textRules.ts';
import { replay, requestHash, type KeyRecord, type KeyedOperation } from './idempotency.ts';
import {
  notFound,
  type CreateResult,
  type IncidentPage,
  type IncidentQuery,
  type IncidentRepository,
  type RepositoryOptions,
  type UpdateResult,
} from './repository.ts';
import { MUTABLE_COLUMNS, RECORD_COLUMNS, appendNoteText, encodeChange, recordValues, toAuditEntry, toRecord, toWorkNote } from './rows.ts';
import { indexUnindexed, searchPostgres, searchVector } from './postgresSearch.ts';

export interface PostgresIncidentRepositoryOptions extends RepositoryOptions {
  /** A `postgres://` URL (`DATABASE_URL`). */
  readonly connectionString: string;
  /** Schema to keep the tables in, created if missing; default: the server's search_path (public). */
  readonly schema?: string;
  /** Pool size; default: `DEFAULT_POOL_SIZE` of src/store. */
  readonly max?: number;
}

type Row = Record<string, unknown>;
const INSERT_COLUMNS = [...RECORD_COLUMNS, 'idempotency_key', 'notes_text'];
// Everything but the tsvector, which is only for matching.
const SELECT_COLUMNS = ['id', 'notes_text', ...RECORD_COLUMNS].map((column) => `i.${column}`).join(', ');
const placeholders = (count: number, from = 1) => Array.from({ length: count }, (_, i) => `$${i + from}`).join(', ');

/**
 * Connects, applies migrations (fails fast with an `UpstreamError` when the server cannot be
 * reached) and returns the PostgreSQL store. Writes lock the rows they change (`FOR UPDATE`).
 */
export async function openPostgresIncidentRepository(options: PostgresIncidentRepositoryOptions): Promise<IncidentRepository> {
  const store = createPostgresStore({
    connectionString: options.connectionString,
    schema: options.schema,
    max: options.max,
    applicationName: 'switchboard-incident',
  });
  try {
    await migratePostgres(store, 'incident', POSTGRES_MIGRATIONS);
    await indexUnindexed(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  return createRepository(store, options.now ?? (() => new Date()));
}

function createRepository(store: PostgresStore, clock: () => Date): IncidentRepository {
  let closed = false;

  const insertNote = (client: SqlClient, incidentId: unknown, author: string, note: string, at: string) =>
    client.query('INSERT INTO incident_work_notes (incident_id, author, body, created_at) VALUES ($1, $2, $3, $4)', [
      incidentId,
      author,
      note,
      at,
    ]);

  const load = async (client: SqlClient, row: Row, includeAudit: boolean): Promise<Incident> => {
    const notes = await client.query('SELECT author, body, created_at FROM incident_work_notes WHERE incident_id = $1 ORDER BY id', [
      row.id,
    ]);
    const incident: Incident = { ...toRecord(row), work_notes: notes.rows.map(toWorkNote) };
    if (includeAudit) {
      const audit = await client.query(
        'SELECT actor, field, old_value, new_value, changed_at FROM incident_audit WHERE incident_id = $1 ORDER BY id',
        [row.id],
      );
      incident.audit = audit.rows.map(toAuditEntry);
    }
    return incident;
  };
  const findBy = async (client: SqlClient, column: 'number' | 'idempotency_key', value: string, lock = false) => {
    const result = await client.query(`SELECT ${SELECT_COLUMNS} FROM incidents i WHERE ${column} = $1${lock ? ' FOR UPDATE' : ''}`, [
      value,
    ]);
    return result.rows[0];
  };
  const keyRecord = async (client: SqlClient, key: string): Promise<KeyRecord | undefined> =>
    (await client.query<KeyRecord>('SELECT operation, request_hash, response FROM idempotency_keys WHERE key = $1', [key])).rows[0];
  const remember = (client: SqlClient, key: string, operation: KeyedOperation, hash: string, number: string, result: object) =>
    client.query(
      'INSERT INTO idempotency_keys (key, operation, request_hash, number, response, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [key, operation, hash, number, JSON.stringify(result), clock().toISOString()],
    );
  const existingForKey = async (key: string, hash: string): Promise<CreateResult | undefined> => {
    const used = await keyRecord(store, key);
    if (used !== undefined) return { ...replay<CreateResult>(used, key, 'create_incident', hash), created: false };
    const row = await findBy(store, 'idempotency_key', key);
    return row === undefined ? undefined : { incident: await load(store, row, false), created: false };
  };
  const ensureOpen = () => {
    if (closed) throw new Error('the incident repository is closed');
  };

  const insert = (input: NewIncident, actor: string, hash: string) =>
    store.transaction(async (client): Promise<CreateResult> => {
      // The counter row's lock serialises creates: numbers stay gap-free (a rolled-back create
      // releases its number, unlike a sequence). With a key, it is taken before the lookup, which
      // then runs after any concurrent create with the same key has committed. The lock is held
      // to the commit, so the statements under it are few: the record comes back from RETURNING.
      const key = input.idempotency_key;
      if (key !== undefined) {
        await client.query("SELECT value FROM counters WHERE name = 'incident' FOR UPDATE");
        const used = await keyRecord(client, key);
        if (used !== undefined) return { ...replay<CreateResult>(used, key, 'create_incident', hash), created: false };
        // Keyed incidents from before the key table: their key is on the row only.
        const existing = await findBy(client, 'idempotency_key', key);
        if (existing !== undefined) return { incident: await load(client, existing, false), created: false };
      }
      const counter = await client.query<{ value: string }>(
        "UPDATE counters SET value = value + 1 WHERE name = 'incident' RETURNING value",
      );
      const now = clock().toISOString();
      const record = newIncidentRecord(input, actor, formatNumber(Number(counter.rows[0]?.value)), now);
      const note = input.work_note;
      const notesText = note ?? '';
      const vector = searchVector({ short_description: record.short_description, description: record.description, notes_text: notesText });
      const inserted = await client.query(
        `INSERT INTO incidents AS i (${INSERT_COLUMNS.join(', ')}, search_vector)
         VALUES (${placeholders(INSERT_COLUMNS.length)}, $${INSERT_COLUMNS.length + 1}::tsvector) RETURNING ${SELECT_COLUMNS}`,
        [...recordValues(record, RECORD_COLUMNS), key ?? null, notesText, vector],
      );
      const row = inserted.rows[0]!;
      if (note !== undefined) await insertNote(client, row.id, actor, note, now);
      const work_notes = note === undefined ? [] : [{ at: now, author: actor, text: note }];
      const result = { incident: { ...toRecord(row), work_notes }, created: true };
      if (key !== undefined) await remember(client, key, 'create_incident', hash, record.number, result);
      return result;
    });

  const writeUpdate = async (client: SqlClient, row: Row, changes: IncidentChanges, actor: string): Promise<UpdateResult> => {
    const now = clock().toISOString();
    const plan = planUpdate(toRecord(row), changes, now);
    const note = changes.work_note;
    if (plan.changes.length === 0 && note === undefined) {
      return { incident: await load(client, row, false), changes: [], work_note_added: false };
    }
    const notesText = note === undefined ? String(row.notes_text) : appendNoteText(String(row.notes_text), note);
    const assignments = MUTABLE_COLUMNS.map((column, index) => `${column} = $${index + 1}`).join(', ');
    const vector = searchVector({
      short_description: plan.next.short_description,
      description: plan.next.description,
      notes_text: notesText,
    });
    const updated = await client.query(
      `UPDATE incidents i SET ${assignments}, notes_text = $${MUTABLE_COLUMNS.length + 1},
         search_vector = $${MUTABLE_COLUMNS.length + 2}::tsvector
       WHERE id = $${MUTABLE_COLUMNS.length + 3} RETURNING ${SELECT_COLUMNS}`,
      [...recordValues(plan.next, MUTABLE_COLUMNS), notesText, vector, row.id],
    );
    for (const change of plan.changes) {
      await client.query(
        `INSERT INTO incident_audit (incident_id, actor, field, old_value, new_value, changed_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [row.id, actor, change.field, ...encodeChange(change), now],
      );
    }
    if (note !== undefined) await insertNote(client, row.id, actor, note, now);
    const incident = await load(client, updated.rows[0]!, false);
    return { incident, changes: plan.changes, work_note_added: note !== undefined };
  };

  const applyUpdate = (number: string, changes: IncidentChanges, actor: string, keyed: { key: string; hash: string } | undefined) =>
    store.transaction(async (client): Promise<UpdateResult> => {
      // The row lock comes first, so a retry with the same key waits for the first attempt's commit.
      const row = await findBy(client, 'number', number, true);
      if (row === undefined) throw notFound(number);
      const used = keyed === undefined ? undefined : await keyRecord(client, keyed.key);
      if (keyed !== undefined && used !== undefined) return replay<UpdateResult>(used, keyed.key, 'update_incident', keyed.hash);
      const result = await writeUpdate(client, row, changes, actor);
      if (keyed !== undefined) await remember(client, keyed.key, 'update_incident', keyed.hash, number, result);
      return result;
    });

  return {
    kind: 'postgres',

    async create(input, actor) {
      ensureOpen();
      checkTextFields({ ...input, actor });
      const key = input.idempotency_key;
      const hash = key === undefined ? '' : requestHash('create_incident', input, actor);
      try {
        return await insert(input, actor, hash);
      } catch (error) {
        // The unique constraint is the last word on keys: should another writer have slipped the
        // same key in (one not going through this lock), return its incident.
        if (key !== undefined && sqlStateOf(error) === '23505') {
          const existing = await existingForKey(key, hash);
          if (existing !== undefined) return existing;
        }
        throw error;
      }
    },

    async get(number, options = {}) {
      ensureOpen();
      checkTextFields({ number });
      return store.transaction(
        async (client) => {
          const row = await findBy(client, 'number', number);
          return row === undefined ? undefined : load(client, row, options.includeAudit ?? false);
        },
        { isolation: 'repeatable read', readOnly: true },
      );
    },

    async update(number, changes, actor) {
      ensureOpen();
      checkTextFields({ number, ...changes, actor });
      const { idempotency_key: key, ...fields } = changes;
      const hash = key === undefined ? '' : requestHash('update_incident', fields, actor, number);
      try {
        return await applyUpdate(number, fields, actor, key === undefined ? undefined : { key, hash });
      } catch (error) {
        // Another update with this key committed first (on another incident: the row lock did not
        // serialise them): answer as if it had been seen under the lock.
        const used = key !== undefined && sqlStateOf(error) === '23505' ? await keyRecord(store, key) : undefined;
        if (used !== undefined) return replay<UpdateResult>(used, key!, 'update_incident', hash);
        throw error;
      }
    },

    async search(query: IncidentQuery): Promise<IncidentPage> {
      ensureOpen();
      checkTextFields(query);
      return store.transaction((client) => searchPostgres(client, SELECT_COLUMNS, query), { isolation: 'repeatable read', readOnly: true });
    },

    async ping() {
      ensureOpen();
      await store.query('SELECT 1');
    },

    async close() {
      if (closed) return;
      closed = true;
      await store.close();
    },
  };
}
