type JsonSchema = Record<string, unknown>;

const isScalarUnion = (schema: unknown): boolean => {
  if (!schema || typeof schema !== 'object') return false;
  const members = ((schema as JsonSchema)['anyOf'] ?? (schema as JsonSchema)['oneOf']) as JsonSchema[] | undefined;
  return (
    Array.isArray(members) &&
    members.length > 0 &&
    members.every((m) => m && typeof m === 'object' && m['type'] !== 'object' && !m['properties'] && !m['$ref'])
  );
};

/**
 * Puts back what @langchain/mcp-adapters' schema simplification drops: a property that is a
 * union of scalars (`anyOf: [{enum: [...]}, {type: "integer"}]`) comes out of it with no type
 * and no enum at all, so a model no longer knows the allowed values. Such properties get their
 * original schema back; everything else keeps the adapter's simplified form.
 */
export function restoreScalarUnions(simplified: JsonSchema, original: JsonSchema): JsonSchema {
  const originalProps = original['properties'] as Record<string, unknown> | undefined;
  const simplifiedProps = simplified['properties'] as Record<string, unknown> | undefined;
  if (!originalProps || !simplifiedProps) return simplified;
  let changed = false;
  const properties: Record<string, unknown> = { ...simplifiedProps };
  for (const [name, schema] of Object.entries(originalProps)) {
    if (name in properties && isScalarUnion(schema)) {
      properties[name] = schema;
      changed = true;
    }
  }
  return changed ? { ...simplified, properties } : simplified;
}
