/**
 * Shorthands for writing the dev-unseen tool sets (plannerEvalDevUnseen*.ts): a tool with an
 * object input schema and its read-only hint, and typed properties with their descriptions.
 */
import type { EvalCase, Json, ToolSpec } from './plannerEvalCases.ts';

export type Props = Record<string, Record<string, Json>>;

/** A tool whose input schema takes `properties` (no others), `required` of them; `readOnly` sets its hint. */
export function tool(name: string, description: string, properties: Props, required: string[] = [], readOnly = false): ToolSpec {
  return {
    name,
    description,
    inputSchema: { type: 'object', properties: properties as Json, required, additionalProperties: false },
    annotations: readOnly ? { readOnlyHint: true } : { readOnlyHint: false },
  };
}

export const str = (description: string, extra: Record<string, Json> = {}) => ({ type: 'string', description, ...extra });
export const int = (description: string, extra: Record<string, Json> = {}) => ({ type: 'integer', description, ...extra });
export const bool = (description: string) => ({ type: 'boolean', description });

/** What a case's turn expects, and its list of calls. */
type Expect = NonNullable<EvalCase['turns'][number]['expect']>;
type Calls = NonNullable<Expect['calls']>;

/** A turn that expects these calls. */
export const calls = (...items: Calls): Expect => ({ calls: items });

/**
 * Builders of cases numbered `du-NNN` on from after `last` (each batch goes on from the one
 * before): `one` for a single turn, `thread` for a follow-up after a first turn.
 */
export function numberedCases(last: number) {
  let counter = last;
  const next = () => `du-${String((counter += 1)).padStart(3, '0')}`;
  return {
    one: (sets: string[], category: EvalCase['category'], style: EvalCase['style'], user: string, expect: Expect): EvalCase => ({
      id: next(),
      category,
      style,
      sets,
      turns: [{ user, expect }],
    }),
    thread: (sets: string[], style: EvalCase['style'], context: string, user: string, expect: Expect): EvalCase => ({
      id: next(),
      category: 'followup',
      style,
      sets,
      turns: [{ user: context }, { user, expect }],
    }),
  };
}
