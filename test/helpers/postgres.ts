import { randomBytes } from 'node:crypto';
import { createPostgresStore } from '../../src/store/index.ts';

export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh schema name, so parallel test files never see each other's tables. */
export function freshSchema(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Drops a test's schema, with the run queue's (`<schema>_boss`) when it made one. */
export async function dropSchema(schema: string): Promise<void> {
  const admin = createPostgresStore({ connectionString: TEST_DATABASE_URL, max: 1 });
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.query(`DROP SCHEMA IF EXISTS ${schema}_boss CASCADE`);
  } finally {
    await admin.close();
  }
}
