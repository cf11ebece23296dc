/** The names one agent name gives its files: `weather-desk`, `WeatherDesk`, `WEATHER_DESK`. */
export interface AgentNames {
  /** The folder, the MCP server name, the config key: lower-case letters, digits and dashes. */
  readonly name: string;
  /** For functions: `createWeatherDeskAgent`. */
  readonly pascal: string;
  /** For constants: `WEATHER_DESK_INSTRUCTIONS`. */
  readonly constant: string;
}

export function agentNames(name: string): AgentNames {
  const parts = name.split('-').filter(Boolean);
  return {
    name,
    pascal: parts.map((part) => part[0]!.toUpperCase() + part.slice(1)).join(''),
    constant: parts.join('_').toUpperCase(),
  };
}

/** `servers/<name>/index.ts`: the agent and the factory `npm run agent -- <name>` loads. */
export function indexTemplate({ name, pascal, constant }: AgentNames): string {
  return `import { defineAgent, type AgentDefinition, type AgentFactory } from '../../src/mcp/index.ts';
import { create${pascal}Tools, MAX_TEXT_CHARS } from './tools.ts';

/** What the agent tells a model about using its tools (the MCP server's \`instructions\`). */
export const ${constant}_INSTRUCTIONS = \`The ${name} agent.
- count_words: counts the characters, words and sentences of a text and lists its most frequent words.
Pass the user's text verbatim; texts may be up to \${MAX_TEXT_CHARS} characters.\`;

/**
 * Builds the ${name} agent. Open what its tools share (clients, pools, indexes) here, once;
 * report it in \`readiness\` (served on /readyz) and release it in \`close\`.
 */
export function create${pascal}Agent(): AgentDefinition {
  return defineAgent({
    name: '${name}',
    version: '0.1.0',
    instructions: ${constant}_INSTRUCTIONS,
    tools: create${pascal}Tools(),
    readiness: async () => ({ ready: true }),
  });
}

/** \`npm run agent -- ${name}\`: settings come from \`env\` (parsed in src/config/env.ts), never from process.env. */
const createAgent: AgentFactory = async () => create${pascal}Agent();
export default createAgent;
`;
}

/** `servers/<name>/tools.ts`: one example tool with every part the kit's contract asks for. */
export function toolsTemplate({ name, pascal }: AgentNames): string {
  return `import { z } from 'zod';
import { defineTool, type ToolAnnotations, type ToolDefinition } from '../../src/mcp/index.ts';

/** The longest text \`count_words\` takes (the kit caps request bodies at 1 MiB anyway). */
export const MAX_TEXT_CHARS = 100_000;

// Annotations tell clients what a tool does to the world, and approvals follow them: a tool
// that writes sets readOnlyHint false, destructiveHint true when it deletes or overwrites,
// idempotentHint true when repeating a call changes nothing more, openWorldHint true when it
// reaches outside systems (the web, a SaaS API).
const READ_ONLY: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

const WordCountSchema = z.object({
  characters: z.number().int().describe('Length of the text in characters.'),
  words: z.number().int().describe('Number of words.'),
  sentences: z.number().int().describe('Number of sentences.'),
  top_words: z
    .array(z.object({ word: z.string().describe('The word, lower-cased.'), count: z.number().int().describe('How often it occurs.') }))
    .describe('The most frequent words, most frequent first.'),
});
type WordCount = z.infer<typeof WordCountSchema>;

/** The ${name} agent's tools: replace the example with yours (snake_case names, one job each). */
export function create${pascal}Tools(): ToolDefinition[] {
  return [
    defineTool({
      name: 'count_words',
      title: 'Count words',
      // Written for a model to choose by: what it does, when to use it, what it returns.
      description:
        'Counts the characters, words and sentences of a text and lists its most frequent words. ' +
        \`Use it to measure a text before quoting, summarising or truncating it. Text of at most \${MAX_TEXT_CHARS} characters.\`,
      input: z.object({
        text: z.string().min(1).max(MAX_TEXT_CHARS).describe('The text to count, verbatim.'),
        top: z.number().int().min(1).max(50).default(5).describe('How many of the most frequent words to list (1-50, default 5).'),
      }),
      output: WordCountSchema,
      annotations: READ_ONLY,
      // Arguments arrive validated against \`input\`; throw a ToolError (src/errors.ts) for a failure the
      // model can act on. Slow work reports progress with \`await context.progress(done, total, message)\`.
      async handler({ text, top }) {
        const counted = countWords(text, top);
        // Structured content for programs (checked against \`output\`), a short text for people and models.
        return { structured: counted, text: \`\${counted.words} words in \${counted.sentences} sentences (\${counted.characters} characters)\` };
      },
    }),
  ];
}

function countWords(text: string, top: number): WordCount {
  const words = [...new Intl.Segmenter('en', { granularity: 'word' }).segment(text)]
    .filter((segment) => segment.isWordLike)
    .map((segment) => segment.segment.toLowerCase());
  const sentences = [...new Intl.Segmenter('en', { granularity: 'sentence' }).segment(text)].filter((segment) => segment.segment.trim()).length;
  const counts = new Map<string, number>();
  for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  const topWords = [...counts]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, top)
    .map(([word, count]) => ({ word, count }));
  return { characters: text.length, words: words.length, sentences, top_words: topWords };
}
`;
}

/** `test/servers/<name>/contract.test.ts`: the kit's shared contract, as the built-in agents run it. */
export function contractTestTemplate({ name, pascal }: AgentNames): string {
  return `import assert from 'node:assert/strict';
import { create${pascal}Agent } from '../../../servers/${name}/index.ts';
import { describeAgentContract } from '../../helpers/agentContract.ts';

// Conformance scenarios, Streamable HTTP (stateful and stateless), legacy SSE, stdio through
// \`npm run agent -- ${name} --stdio\`, and wrongly typed arguments for every tool.
describeAgentContract({
  name: '${name}',
  create: async () => create${pascal}Agent(),
  sample: {
    tool: 'count_words',
    args: { text: 'One small step. One giant leap for mankind.', top: 2 },
    check: (s) => {
      assert.equal(s['words'], 8);
      assert.equal(s['sentences'], 2);
      assert.deepEqual((s['top_words'] as unknown[])[0], { word: 'one', count: 2 });
    },
  },
  // One entry per tool: add yours as you add tools.
  badArgs: {
    count_words: { text: 42 },
  },
});
`;
}
