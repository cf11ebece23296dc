import { isBaseMessage, type BaseMessage } from '@langchain/core/messages';
import { JsonPlusSerializer } from '@langchain/langgraph-checkpoint';

/** A message's encoded form, and the field values it was encoded from (what `toJSON` reads). */
interface Encoded {
  readonly fields: readonly unknown[];
  readonly bytes: Uint8Array;
}

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
 */
export class MessageCachingSerializer extends JsonPlusSerializer {
  readonly #encoded = new WeakMap<BaseMessage, Encoded>();

  override async dumpsTyped(obj: unknown): Promise<[string, Uint8Array]> {
    if (isBaseMessage(obj)) return ['json', this.#encode(obj)];
    if (!Array.isArray(obj) || obj.length === 0 || !obj.every((item) => isBaseMessage(item))) return super.dumpsTyped(obj);
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
