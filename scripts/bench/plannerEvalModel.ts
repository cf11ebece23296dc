/**
 * Which model the planner evaluation scores: the offline planner on the evaluation's fixed clock
 * by default, any chat model given, or one chosen per case (the fixture self-check's oracle).
 */
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { BaseLanguageModelInput } from '@langchain/core/language_models/base';
import type { BaseMessage } from '@langchain/core/messages';
import { RunnableLambda, type RunnableConfig } from '@langchain/core/runnables';
import type { ChatResult } from '@langchain/core/outputs';
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { loadEnv } from '../../src/config/env.ts';
// load.ts, not the llm index: the OpenAI client library is loaded only when a spec names it.
import { loadChatModel } from '../../src/llm/load.ts';
import { OfflinePlanner } from '../../src/llm/offline/index.ts';
import { formatModelSpec, parseModelSpec } from '../../src/llm/spec.ts';
import type { EvalCase, Templates } from './plannerEvalCases.ts';

/** A model for every case, or a function that picks one per case (given the case and its file's templates). */
export type EvalModel = BaseChatModel | ((evalCase: EvalCase, templates: Templates | undefined) => BaseChatModel);

/** The offline planner, its clock fixed at `now` so relative dates ("since yesterday 3pm") are reproducible. */
export function offlinePlannerAt(now: string): BaseChatModel {
  const at = new Date(now);
  return new OfflinePlanner({ now: () => new Date(at) });
}

/**
 * The model a `--model` spec names: `offline` (the default) on the fixed clock, or any network
 * spec the CLI takes (`openai:gpt-4o-mini`, `azure:<deployment>`), configured from the environment.
 */
export async function modelFromSpec(spec: string | undefined, now: string): Promise<{ name: string; model: BaseChatModel }> {
  const env = loadEnv();
  const parsed = parseModelSpec(spec ?? 'offline', env);
  if (parsed.provider === 'offline') return { name: 'offline', model: offlinePlannerAt(now) };
  return { name: formatModelSpec(parsed), model: await loadChatModel(parsed, env) };
}

type Bound = ReturnType<NonNullable<BaseChatModel['bindTools']>>;

/**
 * A chat model that hands every turn to whichever model is current, so one orchestrator (and
 * its open MCP sessions) serves every case while the model can change between cases.
 */
export class CaseModel extends BaseChatModel {
  current: BaseChatModel;

  constructor(first: BaseChatModel) {
    super({});
    this.current = first;
  }

  _llmType(): string {
    return 'planner-eval';
  }

  // The graph binds once per tool list and keeps the binding, so the binding itself must ask which
  // model is current at every call (binding each model to these tools once).
  override bindTools(...args: Parameters<NonNullable<BaseChatModel['bindTools']>>) {
    const bindings = new WeakMap<BaseChatModel, Bound>();
    const boundTo = (model: BaseChatModel): Bound => {
      let bound = bindings.get(model);
      if (!bound) {
        if (!model.bindTools) throw new Error(`model ${model._llmType()} cannot call tools`);
        bindings.set(model, (bound = model.bindTools(...args)));
      }
      return bound;
    };
    return RunnableLambda.from((input: BaseLanguageModelInput, config?: RunnableConfig) =>
      boundTo(this.current).invoke(input, config),
    ) as unknown as Bound;
  }

  async _generate(messages: BaseMessage[], options: this['ParsedCallOptions'], runManager?: CallbackManagerForLLMRun): Promise<ChatResult> {
    return this.current._generate(messages, options, runManager);
  }
}

export function modelFor(model: EvalModel, evalCase: EvalCase, templates: Templates | undefined): BaseChatModel {
  return typeof model === 'function' ? model(evalCase, templates) : model;
}
