import { isBaseMessage, type BaseMessage } from '@langchain/core/messages';
import { DeltaSnapshot, JsonPlusSerializer } from '@langchain/langgraph-checkpoint';

/** A message's encoded form, and the field values it was encoded from (what `toJSON` reads). */
interface Encoded {
  readonly fields: readonly unknown[];
  readonly bytes: Uint8Array;
}

const ENCODER = new TextEncoder();
const OPEN = new Uint8Array([0x5b]); // [
const COMMA = new Uint8Array([0x2c]); // ,
const CLOSE = new Uint8Array([0x5d]); // ]

/**
 * LangGraph's `JsonPlusSerializer`, byte for byte, that encodes each message once.
 *
 * Every checkpoint of a thread stores its whole message list again, and a step's writes store
 * its new messages first, so a run of n messages serializes each of them about n times. JSON of
 * an array is its elements' JSON joined by commas, so a list of messages is written from each
 * message's bytes, kept per message object; what old checkpoints hold and readers expect is
 * unchanged. A message whose fields were reassigned since (the messages reducer gives a message
 * without an id one) is encoded again; messages are otherwise treated as immutable, as LangGraph
 * treats the state it shares between steps.
 *
 * A value is encoded by `JSON.stringify` with the library's replacer, without its first walk over
 * the whole value looking for cycles: only a value that `JSON.stringify` refuses (a cycle, a
 * BigInt) takes the library's own path, which writes markers for those.
 */
export class MessageCachingSerializer extends JsonPlusSerializer {
  readonly #encoded = new WeakMap<BaseMessage, Encoded>();

  protected override _dumps(obj: unknown): Uint8Array {
    let text: string;
    try {
      text = JSON.stringify(obj, replaceLikeJsonPlus);
    } catch {
      return super._dumps(obj);
    }
    return ENCODER.encode(text);
  }

  override async dumpsTyped(obj: unknown): Promise<[string, Uint8Array]> {
    return this.dumpsTypedSync(obj);
  }

  /** {@link dumpsTyped} without a promise: a saver encoding a checkpoint's values awaits once, not once per value. */
  dumpsTypedSync(obj: unknown): [string, Uint8Array] {
    if (obj instanceof Uint8Array) return ['bytes', obj];
    if (isBaseMessage(obj)) return ['json', this.#encode(obj)];
    if (!Array.isArray(obj) || obj.length === 0 || !obj.every((item) => isBaseMessage(item))) return ['json', this._dumps(obj)];
    const parts: Uint8Array[] = [OPEN];
    for (const message of obj) {
      if (parts.length > 1) parts.push(COMMA);
      parts.push(this.#encode(message));
    }
    parts.push(CLOSE);
    return ['json', concat(parts)];
  }

  #encode(message: BaseMessage): Uint8Array {
    const fields = fieldsOf(message);
    const cached = this.#encoded.get(message);
    if (cached && cached.fields.length === fields.length && cached.fields.every((value, i) => value === fields[i])) return cached.bytes;
    const bytes = this._dumps(message);
    this.#encoded.set(message, { fields, bytes });
    return bytes;
  }
}

/** `JsonPlusSerializer`'s replacer (its `_default`, which the library does not export), case for case. */
function replaceLikeJsonPlus(_key: string, value: unknown): unknown {
  if (value === undefined) return { lc: 2, type: 'undefined' };
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof DeltaSnapshot) return { lc: 2, type: 'delta_snapshot', value: value.value };
  if (value instanceof Set || value instanceof Map) return constructorRecord(value.constructor.name, null, [Array.from(value)]);
  if (value instanceof RegExp) return constructorRecord('RegExp', null, [value.source, value.flags]);
  if (value instanceof Error) return constructorRecord('Error', null, [value.message]);
  const send = value as { lg_name?: unknown; node?: unknown; args?: unknown; timeout?: unknown };
  if (send.lg_name === 'Send')
    return { node: send.node, args: send.args, ...(send.timeout !== undefined ? { timeout: send.timeout } : {}) };
  if (value instanceof Uint8Array) return constructorRecord('Uint8Array', 'from', [Array.from(value)]);
  return value;
}

function constructorRecord(name: string, method: string | null, args: unknown[]) {
  return { lc: 2, type: 'constructor', id: [name], method, args, kwargs: {} };
}

/** The values `Serializable.toJSON` serializes: each `lc_kwargs` key, read from the message itself when it has it. */
function fieldsOf(message: BaseMessage): unknown[] {
  const kwargs = message.lc_kwargs as Record<string, unknown>;
  const record = message as unknown as Record<string, unknown>;
  return Object.keys(kwargs).flatMap((key) => [key, key in message ? record[key] : kwargs[key]]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
