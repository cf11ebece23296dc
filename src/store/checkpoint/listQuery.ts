import type { SQLInputValue } from 'node:sqlite';
import type { RunnableConfig } from '@langchain/core/runnables';
import type { CheckpointListOptions } from '@langchain/langgraph-checkpoint';
import { UserError } from '../../errors.ts';
import { CHECKPOINT_COLUMNS } from './statements.ts';

export interface ListQuery {
  readonly sql: string;
  readonly params: SQLInputValue[];
}

/**
 * The SQL of `list()`: newest checkpoint first, narrowed by the thread, namespace and checkpoint id
 * of `config` when given, by `before` (ids sort by time), by `filter` and capped by `limit`.
 */
export function buildListQuery(config: RunnableConfig, options: CheckpointListOptions = {}): ListQuery {
  const where: string[] = [];
  const params: SQLInputValue[] = [];
  const { thread_id: threadId, checkpoint_ns: checkpointNs, checkpoint_id: checkpointId } = config.configurable ?? {};
  if (threadId !== undefined && threadId !== null) {
    where.push('c.thread_id = ?');
    params.push(String(threadId));
  }
  if (checkpointNs !== undefined && checkpointNs !== null) {
    where.push('c.checkpoint_ns = ?');
    params.push(String(checkpointNs));
  }
  if (checkpointId) {
    where.push('c.checkpoint_id = ?');
    params.push(String(checkpointId));
  }
  const beforeId: unknown = options.before?.configurable?.checkpoint_id;
  if (beforeId !== undefined && beforeId !== null) {
    where.push('c.checkpoint_id < ?');
    params.push(String(beforeId));
  }
  for (const [key, value] of Object.entries(options.filter ?? {})) {
    if (value === undefined) continue;
    const [condition, ...values] = metadataCondition(key, value);
    where.push(`EXISTS (SELECT 1 FROM json_each(c.metadata) AS m WHERE m.key = ? AND ${condition})`);
    params.push(key, ...values);
  }
  let sql = `SELECT ${CHECKPOINT_COLUMNS} FROM checkpoints AS c`;
  if (where.length > 0) sql += ` WHERE ${where.join(' AND ')}`;
  sql += ' ORDER BY c.checkpoint_id DESC, c.thread_id, c.checkpoint_ns';
  if (options.limit !== undefined) {
    // SQLite treats a negative LIMIT as "no limit"; a caller asking for fewer than one gets none.
    sql += ' LIMIT ?';
    params.push(Math.max(0, Math.trunc(Number(options.limit)) || 0));
  }
  return { sql, params };
}

/**
 * A condition on the `json_each` row `m` of one top-level metadata key: the stored value must have
 * the JSON type of `value` and be equal to it. Objects and arrays compare by their minified JSON
 * text, so key order matters.
 */
function metadataCondition(key: string, value: unknown): [string, ...SQLInputValue[]] {
  switch (typeof value) {
    case 'string':
      return ["m.type = 'text' AND m.atom = ?", value];
    case 'number':
    case 'bigint':
      return ["m.type IN ('integer', 'real') AND m.atom = ?", value];
    case 'boolean':
      return [value ? "m.type = 'true'" : "m.type = 'false'"];
    case 'object':
      if (value === null) return ["m.type = 'null'"];
      return ["m.type IN ('object', 'array') AND m.value = json(?)", JSON.stringify(value)];
    default:
      throw new UserError(`cannot filter checkpoints on metadata "${key}" by a ${typeof value}`, {
        hint: 'filter values must be JSON values: strings, numbers, booleans, null, arrays or objects',
      });
  }
}
