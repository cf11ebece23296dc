import { join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
// From sqlite.ts, not the store's index: that one loads pg too.
import { migrateSqlite, openSqlite, withTransaction } from '../../src/store/sqlite.ts';
import { SQLITE_MIGRATIONS } from './migrations.ts';
import { formatNumber, type Incident, type NewIncident } from './model.ts';
import { newIncidentRecord, planUpdate } from './rules.ts';
import { checkTextFields } from './textRules.ts';
import { replay, requestHash, type KeyRecord } from './idempotency.ts';
import {
  notFound,
  type CreateResult,
  type UpdateResult,
  type IncidentPage,
  type IncidentQuery,
  type IncidentRepository,
  type RepositoryOptions,
} from './repository.ts';
import { MUTABLE_COLUMNS, RECORD_COLUMNS, appendNoteText, encodeChange, recordValues, toAuditEntry, toRecord, toWorkNote } from './rows.ts';
import { registerSearchFunction, searchSqlite } from './sqliteSearch.ts';

/** The file name under `SWITCHBOARD_DATA_DIR`. */
export const INCIDENT_SQLITE_FILE = 'incident.sqlite';

export interface SqliteIncidentRepositoryOptions extends RepositoryOptions {
  /** The database file; see {@link sqliteIncidentPath}. */
  readonly path: string;
  /** Default: `DEFAULT_BUSY_TIMEOUT_MS` of src/store. */
  readonly busyTimeoutMs?: number;
}

/** `<dataDir>/incident.sqlite`. */
export function sqliteIncidentPath(dataDir: string): string {
  return join(dataDir, INCIDENT_SQLITE_FILE);
}

type Row = Record<string, unknown>;

/**
 * Opens the SQLite store (WAL, busy timeout), applying migrations. Several instances, in one
 * process or many, may share the file: every write runs in a `BEGIN IMMEDIATE` transaction.
 */
export async function openSqliteIncidentRepository(options: SqliteIncidentRepositoryOptions): Promise<IncidentRepository> {
  const db = openSqlite(options.path, { busyTimeoutMs: options.busyTimeoutMs });
  try {
    registerSearchFunction(db);
    migrateSqlite(db, 'incident', SQLITE_MIGRATIONS);
  } catch (error) {
    db.close();
    throw error;
  }
  return createRepository(db, options.now ?? (() => new Date()));
}

function createRepository(db: DatabaseSync, clock: () => Date): IncidentRepository {
  let closed = false;
  const insertColumns = [...RECORD_COLUMNS, 'idempotency_key', 'notes_text'];
  const statements = {
    byNumber: db.prepare('SELECT * FROM incidents WHERE number = ?'),
    byKey: db.prepare('SELECT number FROM incidents WHERE idempotency_key = ?'),
    keyRecord: db.prepare('SELECT operation, request_hash, response FROM idempotency_keys WHERE key = ?'),
    addKey: db.prepare(
      'INSERT INTO idempotency_keys (key, operation, request_hash, number, response, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    nextNumber: db.prepare("UPDATE counters SET value = value + 1 WHERE name = 'incident' RETURNING value"),
    insert: db.prepare(`INSERT INTO incidents (${insertColumns.join(', ')}) VALUES (${insertColumns.map(() => '?').join(', ')})`),
    update: db.prepare(`UPDATE incidents SET ${MUTABLE_COLUMNS.map((column) => `${column} = ?`).join(', ')}, notes_text = ? WHERE id = ?`),
    notes: db.prepare('SELECT author, body, created_at FROM incident_work_notes WHERE incident_id = ? ORDER BY id'),
    audit: db.prepare('SELECT actor, field, old_value, new_value, changed_at FROM incident_audit WHERE incident_id = ? ORDER BY id'),
    addNote: db.prepare('INSERT INTO incident_work_notes (incident_id, author, body, created_at) VALUES (?, ?, ?, ?)'),
    addAudit: db.prepare(
      'INSERT INTO incident_audit (incident_id, actor, field, old_value, new_value, changed_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
  };

  const load = (row: Row, includeAudit: boolean): Incident => {
    const incident: Incident = {
      ...toRecord(row),
      work_notes: statements.notes.all(row.id as number).map(toWorkNote),
    };
    if (includeAudit) incident.audit = statements.audit.all(row.id as number).map(toAuditEntry);
    return incident;
  };
  const loadByNumber = (number: string, includeAudit: boolean): Incident => {
    const row = statements.byNumber.get(number);
    if (row === undefined) throw notFound(number);
    return load(row, includeAudit);
  };
  const ensureOpen = () => {
    if (closed) throw new Error('the incident repository is closed');
  };

  return {
    kind: 'sqlite',

    async create(input: NewIncident, actor: string) {
      ensureOpen();
      checkTextFields({ ...input, actor });
      // BEGIN IMMEDIATE holds the write lock from the key lookup to the insert, so two clients
      // with one idempotency key cannot both miss the lookup, and counter reads never interleave.
      return withTransaction(db, (): CreateResult => {
        const key = input.idempotency_key;
        const hash = key === undefined ? '' : requestHash('create_incident', input, actor);
        if (key !== undefined) {
          const used = statements.keyRecord.get(key) as KeyRecord | undefined;
          if (used !== undefined) return { ...replay<CreateResult>(used, key, 'create_incident', hash), created: false };
          // Keyed incidents from before the key table: their key is on the row only.
          const existing = statements.byKey.get(key);
          if (existing !== undefined) return { incident: loadByNumber(String(existing.number), false), created: false };
        }
        const counter = statements.nextNumber.get();
        const now = clock().toISOString();
        const record = newIncidentRecord(input, actor, formatNumber(Number(counter?.value)), now);
        const note = input.work_note;
        const { lastInsertRowid } = statements.insert.run(...recordValues(record, RECORD_COLUMNS), key ?? null, note ?? '');
        if (note !== undefined) statements.addNote.run(lastInsertRowid, actor, note, now);
        const result = { incident: loadByNumber(record.number, false), created: true };
        if (key !== undefined) statements.addKey.run(key, 'create_incident', hash, record.number, JSON.stringify(result), now);
        return result;
      });
    },

    async get(number, options = {}) {
      ensureOpen();
      checkTextFields({ number });
      return withTransaction(
        db,
        () => {
          const row = statements.byNumber.get(number);
          return row === undefined ? undefined : load(row, options.includeAudit ?? false);
        },
        'deferred',
      );
    },

    async update(number, changes, actor) {
      ensureOpen();
      checkTextFields({ number, ...changes, actor });
      const { idempotency_key: key, ...fields } = changes;
      const hash = key === undefined ? '' : requestHash('update_incident', fields, actor, number);
      return withTransaction(db, (): UpdateResult => {
        const used = key === undefined ? undefined : (statements.keyRecord.get(key) as KeyRecord | undefined);
        if (key !== undefined && used !== undefined) return replay<UpdateResult>(used, key, 'update_incident', hash);
        const row = statements.byNumber.get(number);
        if (row === undefined) throw notFound(number);
        const now = clock().toISOString();
        const plan = planUpdate(toRecord(row), fields, now);
        const note = fields.work_note;
        let result: UpdateResult;
        if (plan.changes.length === 0 && note === undefined) {
          result = { incident: load(row, false), changes: [], work_note_added: false };
        } else {
          const notesText = note === undefined ? String(row.notes_text) : appendNoteText(String(row.notes_text), note);
          statements.update.run(...recordValues(plan.next, MUTABLE_COLUMNS), notesText, row.id as number);
          for (const change of plan.changes) {
            statements.addAudit.run(row.id as number, actor, change.field, ...encodeChange(change), now);
          }
          if (note !== undefined) statements.addNote.run(row.id as number, actor, note, now);
          result = { incident: loadByNumber(number, false), changes: plan.changes, work_note_added: note !== undefined };
        }
        if (key !== undefined) statements.addKey.run(key, 'update_incident', hash, number, JSON.stringify(result), now);
        return result;
      });
    },

    async search(query: IncidentQuery): Promise<IncidentPage> {
      ensureOpen();
      checkTextFields(query);
      return withTransaction(db, () => searchSqlite(db, query), 'deferred');
    },

    async ping() {
      ensureOpen();
      db.prepare('SELECT 1 AS ok').get();
    },

    async close() {
      if (closed) return;
      closed = true;
      db.close();
    },
  };
}
