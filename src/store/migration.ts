/** One schema change, applied once, in ascending `version` order, inside a transaction. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Throws unless versions are positive integers, unique and ascending. */
export function checkMigrations(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const migration of migrations) {
    if (!Number.isInteger(migration.version) || migration.version <= previous) {
      throw new TypeError(`migration "${migration.name}" has version ${migration.version}; versions must be integers ascending from 1`);
    }
    previous = migration.version;
  }
}
