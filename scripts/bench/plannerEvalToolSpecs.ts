/**
 * Shorthands for writing the dev-unseen tool sets (plannerEvalDevUnseen*.ts): a tool with an
 * object input schema and its read-only hint, and typed properties with their descriptions.
 */
import type { Json, ToolSpec } from './plannerEvalCases.ts';

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
