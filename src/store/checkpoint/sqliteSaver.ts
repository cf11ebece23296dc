import type { DatabaseSync } from 'node:sqlite';
import type { RunnableConfig } from '@langchain/core/runnables';
import {
  BaseCheckpointSaver,
  TASKS,
  WRITES_IDX_MAP,
  compareWritesSortKeys,
  getCheckpointId,
  maxChannelVersion,
  writesSortKey,
  type ChannelVersions,
  type Checkpoint,
  type CheckpointListOptions,
  type CheckpointMetadata,
  type CheckpointPendingWrite,
  type CheckpointTuple,
  type PendingWrite,
  type SerializerProtocol,
} from '@langchain/langgraph-checkpoint';
import { UserError } from '../../errors.ts';
import { createGroupCommit, migrateSqlite, openSqlite, withTransaction, type GroupCommit } from '../sqlite.ts';
import { buildListQuery } from './listQuery.ts';
import { CHECKPOINT_COMPONENT, CHECKPOINT_MIGRATIONS } from './schema.ts';
import { MessageCachingSerializer } from './serde.ts';
import {
  prepareCheckpointStatements,
  type BlobInsert,
  type CheckpointStatements,
  type StoredCheckpoint,
  type WriteInsert,
  type WriteRow,
} from './statements.ts';
import { nextChannelVersion } from './versions.ts';

export interface SqliteSaverOptions {
  /** The SQLite file, created with its folder when missing; `:memory:` for a private in-memory database. */
  readonly path: string;
  /** Milliseconds to wait for another connection's write lock; default 5000 (`DEFAULT_BUSY_TIMEOUT_MS`). */
  readonly busyTimeoutMs?: number;
  /** How checkpoints, channel values and writes are serialized; default LangGraph's `JsonPlusSerializer` format, each message encoded once (`MessageCachingSerializer`). */
  readonly serde?: SerializerProtocol;
}

/**
 * A LangGraph checkpointer on Node's built-in `node:sqlite`: conversation threads that survive a
 * restart, with no native module to build.
 *
 * Opening the file applies its migrations (WAL journal, `busy_timeout`), so several processes may
 * share it. Each `put` stores only the channels named in `newVersions`; a reader rebuilds the
 * others from the versions recorded in the checkpoint. Multi-row writes run in one transaction and
 * reads see one snapshot.
 */
export class SqliteSaver extends BaseCheckpointSaver {
  /** The file this saver opened. */
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #statements: CheckpointStatements;
  /** A task's writes and the step's checkpoint after them (and concurrent runs' writes) commit together. */
  readonly #writes: GroupCommit;

  constructor(options: SqliteSaverOptions) {
    super(options.serde ?? new MessageCachingSerializer());
    this.path = options.path;
    const db = openSqlite(options.path, { busyTimeoutMs: options.busyTimeoutMs });
    try {
      migrateSqlite(db, CHECKPOINT_COMPONENT, CHECKPOINT_MIGRATIONS);
      this.#statements = prepareCheckpointStatements(db);
    } catch (error) {
      db.close();
      throw error;
    }
    this.#db = db;
    this.#writes = createGroupCommit(db);
  }

  /** `new SqliteSaver({ ...options, path })`. */
  static open(path: string, options: Omit<SqliteSaverOptions, 'path'> = {}): SqliteSaver {
    return new SqliteSaver({ ...options, path });
  }

  /** Closes the database, after committing the writes still waiting; calling it again does nothing. */
  close(): void {
    if (!this.#db.isOpen) return;
    // The background checkpoint thread, if one started, finishes its last checkpoint and closes on its own.
    void this.#writes.close();
    this.#db.close();
  }

  override async getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    const threadId: unknown = config.configurable?.thread_id;
    if (threadId === undefined || threadId === null) return undefined;
    const checkpointNs = String(config.configurable?.checkpoint_ns ?? '');
    const checkpointId = getCheckpointId(config) || undefined;
    this.#writes.flush();
    // A new thread (every run that starts one) answers from one statement, without a transaction around it.
    if (checkpointId === undefined && !this.#statements.hasCheckpoint(String(threadId), checkpointNs)) return undefined;
    const stored = withTransaction(this.#db, () => this.#statements.get(String(threadId), checkpointNs, checkpointId), 'deferred');
    return stored === undefined ? undefined : this.#toTuple(stored);
  }

  override async *list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
    const { sql, params } = buildListQuery(config, options);
    // Read every matching row in one snapshot, so a concurrent writer cannot tear a tuple apart.
    this.#writes.flush();
    const stored = withTransaction(this.#db, () => this.#statements.query(sql, params), 'deferred');
    for (const item of stored) yield await this.#toTuple(item);
  }

  override async put(
    config: RunnableConfig,
    checkpoint: Checkpoint,
    metadata: CheckpointMetadata,
    newVersions: ChannelVersions,
  ): Promise<RunnableConfig> {
    if (config.configurable === undefined) {
      throw new UserError('cannot save a checkpoint: the config has no "configurable" field', { hint: THREAD_HINT });
    }
    const threadId = requireId(config.configurable.thread_id, 'thread_id', 'save a checkpoint');
    const checkpointNs = String(config.configurable.checkpoint_ns ?? '');
    const parentId: unknown = config.configurable.checkpoint_id;
    // No copy first: the values are serialized here, before this call yields, and nothing is mutated.
    const { channel_values: values, ...withoutValues } = checkpoint;
    const stored = Object.entries(newVersions).filter(([channel]) => Object.hasOwn(values, channel) && values[channel] !== undefined);
    const encoded = await this.#dumpAll([withoutValues, metadata, ...stored.map(([channel]) => values[channel])]);
    const [type, serialized] = encoded[0]!;
    const metadataJson = metadataText(...encoded[1]!);
    const blobs = stored.map(([channel, version], i): BlobInsert => {
      const [blobType, value] = encoded[i + 2]!;
      return { channel, version: versionKey(version), type: blobType, value };
    });
    const channelVersions = Object.fromEntries(
      Object.entries(checkpoint.channel_versions ?? {}).map(([channel, version]) => [channel, versionKey(version)]),
    );
    await this.#writes.write(() =>
      this.#statements.putCheckpoint({
        threadId,
        checkpointNs,
        checkpointId: checkpoint.id,
        parentCheckpointId: parentId ? String(parentId) : undefined,
        type,
        checkpoint: serialized,
        metadata: metadataJson,
        channelVersions: JSON.stringify(channelVersions),
        blobs,
      }),
    );
    return { configurable: { thread_id: threadId, checkpoint_ns: checkpointNs, checkpoint_id: checkpoint.id } };
  }

  override async putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string, taskPath = ''): Promise<void> {
    const threadId = requireId(config.configurable?.thread_id, 'thread_id', 'save pending writes');
    const checkpointId = requireId(config.configurable?.checkpoint_id, 'checkpoint_id', 'save pending writes');
    const checkpointNs = String(config.configurable?.checkpoint_ns ?? '');
    const encoded = await this.#dumpAll(writes.map(([, value]) => value));
    const rows = writes.map(([channel], position): WriteInsert => {
      const [type, serialized] = encoded[position]!;
      return { taskId, taskPath, idx: specialWriteIndex(channel) ?? position, channel, type, value: serialized };
    });
    // As the official savers do: a batch of only special writes (error, interrupt, resume, scheduled)
    // replaces what the task stored before; regular writes are kept from the first attempt.
    const replace = writes.every(([channel]) => specialWriteIndex(channel) !== undefined);
    await this.#writes.write(() => this.#statements.putWrites(threadId, checkpointNs, checkpointId, rows, replace));
  }

  override async deleteThread(threadId: string): Promise<void> {
    await this.#writes.write(() => this.#statements.deleteThread(String(threadId)));
  }

  /** Unique as well as increasing: see {@link nextChannelVersion}. */
  override getNextVersion(current: number | undefined): number {
    return nextChannelVersion(current);
  }

  /** The values encoded by the serde, in order; in one go when it can encode without a promise per value. */
  async #dumpAll(values: readonly unknown[]): Promise<[string, Uint8Array][]> {
    const serde = this.serde;
    if (serde instanceof MessageCachingSerializer) return values.map((value) => serde.dumpsTypedSync(value));
    return Promise.all(values.map((value) => serde.dumpsTyped(value)));
  }

  async #toTuple({ row, blobs, writes, parentSends }: StoredCheckpoint): Promise<CheckpointTuple> {
    const loaded = (await this.serde.loadsTyped(row.type, row.checkpoint)) as Checkpoint;
    const channelValues = await Promise.all(
      blobs.map(async (blob) => [blob.channel, await this.serde.loadsTyped(blob.type, blob.value)] as const),
    );
    const checkpoint: Checkpoint = {
      ...loaded,
      channel_values: Object.fromEntries(channelValues),
      channel_versions: loaded.channel_versions ?? {},
      versions_seen: loaded.versions_seen ?? {},
    };
    if (checkpoint.v < 4 && row.parent_checkpoint_id !== null && parentSends.length > 0) {
      await this.#migratePendingSends(checkpoint, parentSends);
    }
    const configOf = (checkpointId: string): RunnableConfig => ({
      configurable: { thread_id: row.thread_id, checkpoint_ns: row.checkpoint_ns, checkpoint_id: checkpointId },
    });
    const tuple: CheckpointTuple = {
      config: configOf(row.checkpoint_id),
      checkpoint,
      metadata: (await this.serde.loadsTyped('json', row.metadata)) as CheckpointMetadata,
      pendingWrites: await this.#loadWrites(writes),
    };
    if (row.parent_checkpoint_id !== null) tuple.parentConfig = configOf(row.parent_checkpoint_id);
    return tuple;
  }

  /** Pending writes in `writesSortKey` order, the order live execution applies them in. */
  async #loadWrites(rows: readonly WriteRow[]): Promise<CheckpointPendingWrite[]> {
    const sorted = [...rows].sort((a, b) =>
      compareWritesSortKeys(writesSortKey(a.task_path, a.task_id, a.idx), writesSortKey(b.task_path, b.task_id, b.idx)),
    );
    return Promise.all(
      sorted.map(async (row): Promise<CheckpointPendingWrite> => [
        row.task_id,
        row.channel,
        await this.serde.loadsTyped(row.type, row.value),
      ]),
    );
  }

  /** Checkpoints before format v4 kept pending sends as writes of their parent; v4 keeps them in `TASKS`. */
  async #migratePendingSends(checkpoint: Checkpoint, parentSends: readonly WriteRow[]): Promise<void> {
    const sends = await this.#loadWrites(parentSends);
    const versions = Object.values(checkpoint.channel_versions);
    checkpoint.channel_values[TASKS] = sends.map(([, , value]) => value);
    checkpoint.channel_versions[TASKS] = versions.length > 0 ? maxChannelVersion(...versions) : this.getNextVersion(undefined);
  }
}

const UTF8 = new TextDecoder();

function metadataText(type: string, serialized: Uint8Array): string {
  if (type !== 'json') {
    throw new UserError(`SqliteSaver stores metadata as JSON, but its serializer produced "${type}"`, {
      hint: 'use a serializer whose dumpsTyped() returns "json" for plain objects',
    });
  }
  return UTF8.decode(serialized);
}

const THREAD_HINT = 'pass { configurable: { thread_id: "..." } } when you invoke a graph that has a checkpointer';

function requireId(value: unknown, name: string, action: string): string {
  if ((typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value))) {
    return String(value);
  }
  throw new UserError(`cannot ${action}: config.configurable.${name} is missing`, { hint: THREAD_HINT });
}

/** The fixed negative index of a special channel (error, interrupt, ...), or undefined for a regular one. */
function specialWriteIndex(channel: string): number | undefined {
  return Object.hasOwn(WRITES_IDX_MAP, channel) ? WRITES_IDX_MAP[channel] : undefined;
}

/** The text under which a channel version keys its blob; the same on write and on read. */
function versionKey(version: number | string): string {
  return String(version);
}
