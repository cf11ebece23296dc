import type { Migration } from '../../src/store/index.ts';
import { FIRST_NUMBER, STATES } from './model.ts';
import { SEARCH_TEXT_FUNCTION } from './sqliteSearch.ts';

const stateList = STATES.map((state) => `'${state}'`).join(', ');

/** SQLite schema: FTS5 kept in step with the incidents by triggers. */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'incidents',
    sql: `
CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO counters (name, value) VALUES ('incident', ${FIRST_NUMBER - 1});
CREATE TABLE incidents (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  idempotency_key TEXT UNIQUE,
  short_description TEXT NOT NULL,
  description TEXT,
  caller TEXT NOT NULL,
  opened_by TEXT NOT NULL,
  category TEXT NOT NULL,
  urgency INTEGER NOT NULL CHECK (urgency BETWEEN 1 AND 3),
  impact INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 3),
  priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 5),
  state TEXT NOT NULL CHECK (state IN (${stateList})),
  hold_reason TEXT,
  assignment_group TEXT,
  assigned_to TEXT,
  resolution_code TEXT,
  resolution_note TEXT,
  notes_text TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL,
  opened_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  resolved_at TEXT,
  closed_at TEXT
);
CREATE INDEX incidents_opened_at ON incidents (opened_at);
CREATE INDEX incidents_updated_at ON incidents (updated_at);
CREATE INDEX incidents_state_priority ON incidents (state, priority);
CREATE TABLE incident_work_notes (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents (id),
  author TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX incident_work_notes_incident ON incident_work_notes (incident_id, id);
CREATE TABLE incident_audit (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents (id),
  actor TEXT NOT NULL,
  field TEXT NOT NULL,
  old_value TEXT,
  new_value TEXT,
  changed_at TEXT NOT NULL
);
CREATE INDEX incident_audit_incident ON incident_audit (incident_id, id);
CREATE TRIGGER incident_work_notes_append_only_u BEFORE UPDATE ON incident_work_notes
  BEGIN SELECT RAISE(ABORT, 'work notes are append-only'); END;
CREATE TRIGGER incident_work_notes_append_only_d BEFORE DELETE ON incident_work_notes
  BEGIN SELECT RAISE(ABORT, 'work notes are append-only'); END;
CREATE TRIGGER incident_audit_append_only_u BEFORE UPDATE ON incident_audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER incident_audit_append_only_d BEFORE DELETE ON incident_audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE VIRTUAL TABLE incident_fts USING fts5(
  short_description, description, notes_text,
  content = 'incidents', content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER incidents_fts_insert AFTER INSERT ON incidents BEGIN
  INSERT INTO incident_fts (rowid, short_description, description, notes_text)
  VALUES (new.id, new.short_description, new.description, new.notes_text);
END;
CREATE TRIGGER incidents_fts_update AFTER UPDATE OF short_description, description, notes_text ON incidents BEGIN
  INSERT INTO incident_fts (incident_fts, rowid, short_description, description, notes_text)
  VALUES ('delete', old.id, old.short_description, old.description, old.notes_text);
  INSERT INTO incident_fts (rowid, short_description, description, notes_text)
  VALUES (new.id, new.short_description, new.description, new.notes_text);
END;
CREATE TRIGGER incidents_fts_delete AFTER DELETE ON incidents BEGIN
  INSERT INTO incident_fts (incident_fts, rowid, short_description, description, notes_text)
  VALUES ('delete', old.id, old.short_description, old.description, old.notes_text);
END;
`,
  },
  {
    // Version 2 indexes the tokens of searchText.ts (compounds joined, Porter2 stems)
    // in a contentless table, so SQLite and PostgreSQL match and rank alike. The triggers call the
    // repository's incident_search_text function; existing incidents are indexed here.
    version: 2,
    name: 'search tokens',
    sql: `
DROP TRIGGER incidents_fts_insert;
DROP TRIGGER incidents_fts_update;
DROP TRIGGER incidents_fts_delete;
DROP TABLE incident_fts;
CREATE VIRTUAL TABLE incident_fts USING fts5(
  short_description, description, notes,
  content = '', contentless_delete = 1, tokenize = 'ascii'
);
INSERT INTO incident_fts (rowid, short_description, description, notes)
  SELECT id, ${SEARCH_TEXT_FUNCTION}('short_description', short_description), ${SEARCH_TEXT_FUNCTION}('description', description),
    ${SEARCH_TEXT_FUNCTION}('notes', notes_text)
  FROM incidents;
CREATE TRIGGER incidents_fts_insert AFTER INSERT ON incidents BEGIN
  INSERT INTO incident_fts (rowid, short_description, description, notes)
  VALUES (new.id, ${SEARCH_TEXT_FUNCTION}('short_description', new.short_description),
    ${SEARCH_TEXT_FUNCTION}('description', new.description), ${SEARCH_TEXT_FUNCTION}('notes', new.notes_text));
END;
CREATE TRIGGER incidents_fts_update AFTER UPDATE OF short_description, description, notes_text ON incidents BEGIN
  DELETE FROM incident_fts WHERE rowid = old.id;
  INSERT INTO incident_fts (rowid, short_description, description, notes)
  VALUES (new.id, ${SEARCH_TEXT_FUNCTION}('short_description', new.short_description),
    ${SEARCH_TEXT_FUNCTION}('description', new.description), ${SEARCH_TEXT_FUNCTION}('notes', new.notes_text));
END;
CREATE TRIGGER incidents_fts_delete AFTER DELETE ON incidents BEGIN
  DELETE FROM incident_fts WHERE rowid = old.id;
END;
`,
  },
  {
    // Version 3: what each idempotency key was used for and answered, so a retried write returns
    // its first result and a reused key with other arguments is refused (see idempotency.ts).
    version: 3,
    name: 'idempotency keys',
    sql: `
CREATE TABLE idempotency_keys (
  key TEXT PRIMARY KEY,
  operation TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  number TEXT NOT NULL,
  response TEXT NOT NULL,
  created_at TEXT NOT NULL
);
`,
  },
];

/** PostgreSQL schema: a weighted tsvector with a GIN index. */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'incidents',
    sql: `
CREATE TABLE counters (name text PRIMARY KEY, value bigint NOT NULL);
INSERT INTO counters (name, value) VALUES ('incident', ${FIRST_NUMBER - 1});
CREATE TABLE incidents (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  number text NOT NULL UNIQUE,
  idempotency_key text UNIQUE,
  short_description text NOT NULL,
  description text,
  caller text NOT NULL,
  opened_by text NOT NULL,
  category text NOT NULL,
  urgency smallint NOT NULL CHECK (urgency BETWEEN 1 AND 3),
  impact smallint NOT NULL CHECK (impact BETWEEN 1 AND 3),
  priority smallint NOT NULL CHECK (priority BETWEEN 1 AND 5),
  state text NOT NULL CHECK (state IN (${stateList})),
  hold_reason text,
  assignment_group text,
  assigned_to text,
  resolution_code text,
  resolution_note text,
  notes_text text NOT NULL DEFAULT '',
  version integer NOT NULL,
  opened_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  resolved_at timestamptz,
  closed_at timestamptz,
  search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', short_description), 'A') ||
    setweight(to_tsvector('english', coalesce(description, '')), 'B') ||
    setweight(to_tsvector('english', notes_text), 'C')
  ) STORED
);
CREATE INDEX incidents_search ON incidents USING gin (search_vector);
CREATE INDEX incidents_opened_at ON incidents (opened_at);
CREATE INDEX incidents_updated_at ON incidents (updated_at);
CREATE INDEX incidents_state_priority ON incidents (state, priority);
CREATE TABLE incident_work_notes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  incident_id integer NOT NULL REFERENCES incidents (id),
  author text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX incident_work_notes_incident ON incident_work_notes (incident_id, id);
CREATE TABLE incident_audit (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  incident_id integer NOT NULL REFERENCES incidents (id),
  actor text NOT NULL,
  field text NOT NULL,
  old_value text,
  new_value text,
  changed_at timestamptz NOT NULL
);
CREATE INDEX incident_audit_incident ON incident_audit (incident_id, id);
CREATE FUNCTION incident_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER incident_work_notes_append_only BEFORE UPDATE OR DELETE ON incident_work_notes
  FOR EACH ROW EXECUTE FUNCTION incident_append_only();
CREATE TRIGGER incident_audit_append_only BEFORE UPDATE OR DELETE ON incident_audit
  FOR EACH ROW EXECUTE FUNCTION incident_append_only();
`,
  },
  {
    // Version 2: the vector holds the tokens of searchText.ts, written by the repository (which
    // also indexes the rows this leaves empty, at open), so both stores match and rank alike.
    version: 2,
    name: 'search tokens',
    sql: `
ALTER TABLE incidents DROP COLUMN search_vector;
ALTER TABLE incidents ADD COLUMN search_vector tsvector;
CREATE INDEX incidents_search ON incidents USING gin (search_vector);
`,
  },
  {
    // Version 3: see the SQLite migration of the same name.
    version: 3,
    name: 'idempotency keys',
    sql: `
CREATE TABLE idempotency_keys (
  key text PRIMARY KEY,
  operation text NOT NULL,
  request_hash text NOT NULL,
  number text NOT NULL,
  response text NOT NULL,
  created_at timestamptz NOT NULL
);
`,
  },
];
