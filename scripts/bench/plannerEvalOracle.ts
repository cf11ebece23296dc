/**
 * The fixtures' self-check: a chat model that plays what each case's expectation describes (the
 * first way of doing each item, one call per turn, then an answer built from the required words
 * and the tools' real results). Every case must pass when the oracle plays it; a case it fails is
 * an expectation no assistant could meet (a value the tool refuses, a number that does not
 * exist, a result path that is never there) and is fixed before anyone is scored on it.
 */
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import {
  alternativesOf,
  modelToolName,
  resolveExpect,
  type ArgMatcher,
  type EvalCase,
  type ExpectedCall,
  type Json,
  type ResolvedExpect,
  type Templates,
} from './plannerEvalCases.ts';
import { isSpec, parseJsonOrText, valuesAt } from './plannerEvalMatch.ts';

/** The value the oracle passes for a matcher (an array when the property is one), or undefined to leave the argument out. */
export function exampleFor(matcher: ArgMatcher, isArray = false): Json | undefined {
  if (!isSpec(matcher)) return matcher as Json;
  if (matcher.absent) return undefined;
  if (matcher.example !== undefined) return matcher.example;
  if (matcher.equals !== undefined) return matcher.equals;
  if (matcher.oneOf) return matcher.oneOf[0];
  const words = [...(matcher.includes ?? []), ...(matcher.includesAny ?? []).slice(0, 1)];
  if (words.length > 0) return isArray ? words : words.join(' ');
  if (matcher.dateIn) return matcher.dateIn[0];
  if (matcher.between) return matcher.between[0];
  return undefined;
}

function setPath(target: Record<string, unknown>, path: string, value: Json): void {
  const steps = path.split('.');
  if (steps.includes('*') && Array.isArray(value)) {
    // attendees.*.email with ["a@x", "b@x"]: one element per value
    const star = steps.indexOf('*');
    const list = value.map((v) => {
      const element: Record<string, unknown> = {};
      setPath(element, steps.slice(star + 1).join('.'), v);
      return element;
    });
    setPath(target, steps.slice(0, star).join('.'), list as Json);
    return;
  }
  let node: Record<string, unknown> = target;
  for (const [i, step] of steps.entries()) {
    if (i === steps.length - 1) {
      node[step] = value;
      return;
    }
    const nextIsIndex = /^\d+$/.test(steps[i + 1]!);
    node[step] ??= nextIsIndex ? [] : {};
    node = node[step] as Record<string, unknown>;
  }
}

type Schema = Record<string, unknown>;

/** Whether the property at a dotted path of a JSON schema is an array (or a `*` path fans out). */
function isArrayAt(schema: Schema | undefined, path: string): boolean {
  if (path.split('.').includes('*')) return true;
  let node = schema;
  for (const step of path.split('.')) {
    if (!node) return false;
    node = /^\d+$/.test(step) ? (node['items'] as Schema | undefined) : (node['properties'] as Record<string, Schema> | undefined)?.[step];
  }
  const type = node?.['type'];
  return type === 'array' || (Array.isArray(type) && type.includes('array'));
}

export function argsFor(call: ExpectedCall, schema?: Schema): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [path, matcher] of Object.entries(call.args ?? {})) {
    const value = exampleFor(matcher, isArrayAt(schema, path));
    if (value !== undefined) setPath(args, path, value);
  }
  return args;
}

function answerFor(expect: ResolvedExpect, since: readonly BaseMessage[]): string {
  const parts: string[] = [];
  if (expect.kind === 'refuse') parts.push("I can't do that with the tools I have.");
  if (expect.kind === 'clarify') parts.push('Which one do you mean?');
  for (const item of expect.answer?.includes ?? []) parts.push(typeof item === 'string' ? item : item[0]!);
  const results = since
    .filter((m) => m.getType() === 'tool')
    .map((m) => ({ name: (m as unknown as { name?: string }).name ?? '', result: parseJsonOrText(m.content) }));
  for (const spec of expect.answer?.fromResults ?? []) {
    const values: string[] = [];
    for (const { name, result } of results) {
      const paths = Object.entries(spec.paths).find(([tool]) => name === tool || name === tool.replace(/[^a-zA-Z0-9_-]/g, '_'))?.[1] ?? [];
      for (const path of paths)
        for (const v of valuesAt(result, path)) if (typeof v === 'string' || typeof v === 'number') values.push(String(v));
    }
    // A report with nothing in it checks nothing: the fixture should ask about a text that has some.
    if (values.length === 0) throw new Error(`the ${spec.what ?? 'report'} this turn asks for is empty in the tools' results`);
    parts.push(...((spec.mode ?? 'any') === 'all' ? values : values.slice(0, 1)));
  }
  return parts.length > 0 ? parts.join(' | ') : 'Done.';
}

/** Plays one case as its expectations describe; see the module comment. */
export class OracleModel extends BaseChatModel {
  private readonly evalCase: EvalCase;
  private readonly templates: Templates | undefined;
  private bound = new Map<string, Schema>();

  constructor(evalCase: EvalCase, templates: Templates | undefined) {
    super({});
    this.evalCase = evalCase;
    this.templates = templates;
  }

  _llmType(): string {
    return 'planner-eval-oracle';
  }

  override bindTools(tools: unknown[]): OracleModel {
    const bound = new OracleModel(this.evalCase, this.templates);
    bound.bound = new Map(tools.map((tool) => [(tool as { name: string }).name, (tool as { schema?: Schema }).schema ?? {}]));
    return bound;
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const humans = messages.filter((m) => m.getType() === 'human').length;
    const turn = this.evalCase.turns[humans - 1];
    const lastHuman = messages.map((m) => m.getType()).lastIndexOf('human');
    const since = messages.slice(lastHuman + 1);
    const expect = turn?.expect ? resolveExpect(turn.expect, this.templates) : undefined;
    const plan = (expect?.calls ?? []).flatMap((item) => alternativesOf(item)[0]!);
    const step = since.filter((m) => m.getType() === 'ai').length;
    let message: AIMessage;
    if (expect && step < plan.length) {
      const call = plan[step]!;
      const [server, ...rest] = call.tool.split('__');
      const name = this.bound.has(call.tool) ? call.tool : modelToolName(server!, rest.join('__'));
      const args = argsFor(call, this.bound.get(name));
      message = new AIMessage({ content: '', tool_calls: [{ id: `oracle_${humans}_${step}`, name, args, type: 'tool_call' }] });
    } else {
      message = new AIMessage(expect ? answerFor(expect, since) : 'Noted.');
    }
    return { generations: [{ message, text: typeof message.content === 'string' ? message.content : '' }] };
  }
}

/** The oracle as an evaluation model: one per case. */
export const oracle = (evalCase: EvalCase, templates: Templates | undefined) => new OracleModel(evalCase, templates);
