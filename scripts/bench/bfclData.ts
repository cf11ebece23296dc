/**
 * Reads the BFCL v4 single-turn data from ../shared/bfcl (or a folder given) and turns each
 * case's functions into the tools an MCP server would list: BFCL's type names mapped to JSON
 * Schema (`dict` -> object, `float` -> number, `tuple` -> array, `any` -> no type) and dotted
 * names with `_`, as function-calling models get them on the leaderboard.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FunctionTool } from '../../src/llm/offline/toolIndex.ts';
import { callableName, type ExpectedCall, type FunctionShape } from './bfclScore.ts';

/** The non-live categories this harness scores; `irrelevance` has no answers (no call is right). */
export const BFCL_CATEGORIES = ['simple_python', 'multiple', 'parallel', 'parallel_multiple', 'irrelevance'] as const;
export type BfclCategory = (typeof BFCL_CATEGORIES)[number];

/** A BFCL function as published. */
export interface BfclFunction {
  readonly name: string;
  readonly description?: string;
  readonly parameters?: Record<string, unknown>;
}

/** One case: the turn's messages, its tools (MCP-shaped, converted), and the ground truth. */
export interface BfclCase {
  readonly id: string;
  readonly category: BfclCategory;
  readonly messages: readonly { readonly role: string; readonly content: string }[];
  readonly functions: readonly BfclFunction[];
  readonly tools: readonly FunctionTool[];
  readonly shapes: readonly FunctionShape[];
  /** Empty for irrelevance. */
  readonly expected: readonly ExpectedCall[];
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The data folder: the one given (relative to the repository root), else the first `shared/bfcl`
 * in a folder above the repository (`../shared/bfcl` from a checkout, further up from a worktree).
 */
export function bfclDir(override?: string): string {
  if (override !== undefined) return path.resolve(REPO_ROOT, override);
  for (let dir = path.dirname(path.resolve(REPO_ROOT)); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'bfcl');
    if (hasBfcl(candidate) || dir === path.dirname(dir)) return hasBfcl(candidate) ? candidate : path.resolve(REPO_ROOT, '../shared/bfcl');
  }
}

/** Whether the folder holds the data (its first question file). */
export function hasBfcl(dir: string): boolean {
  return existsSync(path.join(dir, 'question_simple_python.jsonl'));
}

const TYPES: Readonly<Record<string, string | undefined>> = { dict: 'object', float: 'number', tuple: 'array', any: undefined };

/** A BFCL parameter schema as JSON Schema (recursively: properties, items, additionalProperties). */
export function toJsonSchema(schema: unknown): Record<string, unknown> {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema as Record<string, unknown>)) {
    if (key === 'type') {
      const mapped = typeof value === 'string' && value in TYPES ? TYPES[value] : value;
      if (mapped !== undefined) out.type = mapped;
    } else if (key === 'properties' && typeof value === 'object' && value !== null) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, prop]) => [name, toJsonSchema(prop)]));
    } else if ((key === 'items' || key === 'additionalProperties') && typeof value === 'object' && value !== null) {
      out[key] = toJsonSchema(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** A BFCL function as the tool a run binds: OpenAI function format, as an MCP tool converts to. */
export function toTool(fn: BfclFunction): FunctionTool {
  const parameters = { type: 'object', properties: {}, ...toJsonSchema(fn.parameters ?? {}) };
  return { type: 'function', function: { name: callableName(fn.name), description: fn.description ?? '', parameters } };
}

function shapeOf(fn: BfclFunction): FunctionShape {
  const params = (fn.parameters ?? {}) as { properties?: Record<string, unknown>; required?: string[] };
  return { name: fn.name, properties: Object.keys(params.properties ?? {}), required: params.required ?? [] };
}

const readLines = async (file: string): Promise<unknown[]> =>
  (await readFile(file, 'utf8'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);

/** Loads one category's cases (the first `limit` when given). */
export async function loadBfclCategory(dir: string, category: BfclCategory, limit?: number): Promise<BfclCase[]> {
  const questions = (await readLines(path.join(dir, `question_${category}.jsonl`))) as {
    id: string;
    question: { role: string; content: string }[][];
    function: BfclFunction[];
  }[];
  const answers =
    category === 'irrelevance'
      ? new Map<string, ExpectedCall[]>()
      : new Map(
          ((await readLines(path.join(dir, `answer_${category}.jsonl`))) as { id: string; ground_truth: ExpectedCall[] }[]).map(
            (answer) => [answer.id, answer.ground_truth],
          ),
        );
  return questions.slice(0, limit).map((question) => ({
    id: question.id,
    category,
    messages: question.question[0] ?? [],
    functions: question.function,
    tools: question.function.map(toTool),
    shapes: question.function.map(shapeOf),
    expected: answers.get(question.id) ?? [],
  }));
}
