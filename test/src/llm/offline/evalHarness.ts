import { isDeepStrictEqual } from 'node:util';
import { readFileSync } from 'node:fs';
import { AIMessage, HumanMessage, ToolMessage, type AIMessageChunk, type BaseMessage } from '@langchain/core/messages';

// Drives the planner through the cases of test/fixtures/planner/requests.json.

export interface ExpectedCall {
  readonly name: string;
  readonly args: Readonly<Record<string, unknown>>;
  readonly result: unknown;
}

export interface HistoryMessage {
  readonly role: 'user' | 'assistant' | 'tool';
  readonly content?: unknown;
  readonly tool_calls?: readonly { id: string; name: string; args: Record<string, unknown> }[];
  readonly tool_call_id?: string;
}

export interface PlannerCase {
  readonly id: string;
  readonly category: string;
  readonly request: string;
  readonly history?: readonly HistoryMessage[];
  readonly steps: readonly (readonly ExpectedCall[])[];
  readonly clarify?: boolean;
  readonly answer?: readonly string[];
  /** Cases written after the planner was tuned on the others, to see how it does on new wording. */
  readonly batch?: string;
}

export interface CaseFile {
  readonly now: string;
  readonly cases: readonly PlannerCase[];
}

export interface CaseOutcome {
  readonly id: string;
  readonly category: string;
  readonly ok: boolean;
  /** Why the case failed, empty when it passed. */
  readonly reason: string;
  readonly answer: string;
  readonly batch: string;
}

export function loadCases(): CaseFile {
  return JSON.parse(readFileSync(new URL('../../../fixtures/planner/requests.json', import.meta.url), 'utf8')) as CaseFile;
}

const MAX_STEPS = 6;

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function toMessages(history: readonly HistoryMessage[] = []): BaseMessage[] {
  return history.map((message) => {
    if (message.role === 'user') return new HumanMessage(text(message.content));
    if (message.role === 'tool') return new ToolMessage({ content: text(message.content), tool_call_id: message.tool_call_id ?? '' });
    return new AIMessage({
      content: message.content === undefined ? '' : text(message.content),
      tool_calls: (message.tool_calls ?? []).map((call) => ({ ...call, type: 'tool_call' as const })),
    });
  });
}

/** Whether actual arguments satisfy expected ones: `~text` is a case-insensitive substring, `$absent` must be unset. */
export function argsMatch(expected: Readonly<Record<string, unknown>>, actual: Readonly<Record<string, unknown>>): string | undefined {
  for (const [key, want] of Object.entries(expected)) {
    const got = actual[key];
    if (want === '$absent') {
      if (got !== undefined) return `${key} should be unset, got ${JSON.stringify(got)}`;
    } else if (typeof want === 'string' && want.startsWith('~')) {
      if (typeof got !== 'string' || !got.toLowerCase().includes(want.slice(1).toLowerCase()))
        return `${key}: wanted ~${want.slice(1)}, got ${JSON.stringify(got)}`;
    } else if (!isDeepStrictEqual(want, got)) {
      return `${key}: wanted ${JSON.stringify(want)}, got ${JSON.stringify(got)}`;
    }
  }
  return undefined;
}

/** Runs one case step by step, feeding the expected results back as tool messages. */
/** Anything that answers a message list like a chat model bound with tools. */
export interface ChatRunnable {
  invoke(messages: BaseMessage[]): Promise<AIMessage | AIMessageChunk>;
}

export async function runCase(model: ChatRunnable, plannerCase: PlannerCase): Promise<CaseOutcome> {
  const messages: BaseMessage[] = [...toMessages(plannerCase.history), new HumanMessage(plannerCase.request)];
  const batch = plannerCase.batch ?? 'tuned';
  const fail = (reason: string, answer = ''): CaseOutcome => ({
    id: plannerCase.id,
    category: plannerCase.category,
    batch,
    ok: false,
    reason,
    answer,
  });
  let step = 0;
  for (let round = 0; round < MAX_STEPS; round += 1) {
    const reply = await model.invoke(messages);
    const calls = reply.tool_calls ?? [];
    if (calls.length === 0) {
      const answer = text(reply.content);
      if (step < plannerCase.steps.length) return fail(`answered before step ${step + 1}: ${answer.slice(0, 160)}`, answer);
      const clarification = reply.response_metadata?.clarification === true;
      if (clarification !== (plannerCase.clarify === true))
        return fail(`clarification ${clarification}, wanted ${plannerCase.clarify === true}: ${answer.slice(0, 200)}`, answer);
      const absent = (plannerCase.answer ?? []).filter((needle) => !answer.includes(needle));
      if (absent.length > 0) return fail(`answer lacks ${JSON.stringify(absent)}: ${answer.slice(0, 300)}`, answer);
      return { id: plannerCase.id, category: plannerCase.category, batch, ok: true, reason: '', answer };
    }
    const expected = plannerCase.steps[step];
    if (!expected) return fail(`unexpected calls ${JSON.stringify(calls.map((call) => [call.name, call.args]))}`);
    if (calls.length !== expected.length)
      return fail(
        `step ${step + 1}: ${calls.length} call(s) ${JSON.stringify(calls.map((call) => [call.name, call.args]))}, wanted ${expected.length}`,
      );
    const remaining = [...calls];
    const results: ToolMessage[] = [];
    for (const want of expected) {
      const problems: string[] = [];
      const at = remaining.findIndex((call) => {
        if (call.name !== want.name) return false;
        const problem = argsMatch(want.args, call.args);
        if (problem) problems.push(problem);
        return problem === undefined;
      });
      const call = remaining[at];
      if (at < 0 || !call) {
        return fail(
          `step ${step + 1}: no ${want.name} call matching ${JSON.stringify(want.args)} (${problems.join('; ') || `got ${JSON.stringify(calls.map((c) => [c.name, c.args]))}`})`,
        );
      }
      remaining.splice(at, 1);
      const content = text(want.result);
      results.push(new ToolMessage({ content, tool_call_id: call.id ?? '', status: content.startsWith('Error') ? 'error' : 'success' }));
    }
    messages.push(reply, ...results);
    step += 1;
  }
  return fail('too many steps');
}
