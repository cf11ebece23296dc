export { checkMigrations, type Migration } from './migration.ts';
export {
  DEFAULT_BUSY_TIMEOUT_MS,
  createGroupCommit,
  migrateSqlite,
  openSqlite,
  withTransaction,
  type GroupCommit,
  type SqliteOptions,
} from './sqlite.ts';
export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_POOL_SIZE,
  createPostgresStore,
  migratePostgres,
  sqlStateOf,
  type PostgresOptions,
  type PostgresStore,
  type SqlClient,
  type SqlResult,
  type TransactionOptions,
} from './postgres.ts';
