import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** What a model sees of one tool result at most; more is cut with a note saying so. */
export const DEFAULT_MAX_OUTPUT_CHARS = 16_000;

/**
 * Shapes a tool result for a model: structured content as compact JSON (not a dump of the
 * content block), text blocks joined, and anything past `maxChars` cut with a note that says
 * how much was left out.
 */
export function shapeToolResult(result: CallToolResult, maxChars = DEFAULT_MAX_OUTPUT_CHARS): CallToolResult {
  const structured = result.structuredContent;
  const useStructured = structured !== undefined && structured !== null && !result.isError;
  const content = useStructured ? [{ type: 'text' as const, text: JSON.stringify(structured) }] : result.content;
  let budget = maxChars;
  let cut = 0;
  const bounded = content.map((block) => {
    if (block.type !== 'text') return block;
    if (block.text.length <= budget) {
      budget -= block.text.length;
      return block;
    }
    cut += block.text.length - budget;
    const kept = block.text.slice(0, budget);
    budget = 0;
    return { ...block, text: kept };
  });
  if (cut > 0) {
    bounded.push({
      type: 'text',
      text: `\n[output truncated: ${cut.toLocaleString('en-US')} more characters were left out; ask the tool for less, e.g. a smaller limit]`,
    });
  }
  const { structuredContent: _dropped, ...rest } = result;
  return { ...rest, content: useStructured || cut > 0 ? mergeText(bounded) : bounded };
}

/** One text block reads best for a model (and makes the adapter hand over a plain string). */
function mergeText(blocks: CallToolResult['content']): CallToolResult['content'] {
  if (!blocks.every((block) => block.type === 'text')) return blocks;
  return [{ type: 'text', text: blocks.map((block) => (block as { text: string }).text).join('') }];
}
