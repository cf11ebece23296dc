import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import type { BaseLanguageModelInput } from '@langchain/core/language_models/base';
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BaseChatModelParams,
  type BindToolsInput,
} from '@langchain/core/language_models/chat_models';
import { AIMessage, type AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';
import { convertToOpenAITool } from '@langchain/core/utils/function_calling';
import { BoundedMap } from './memo.ts';
import { decide } from './planner.ts';
import { ToolIndex, type FunctionTool } from './toolIndex.ts';

/** Options of {@link OfflinePlanner}. */
export interface OfflinePlannerOptions extends BaseChatModelParams {
  /** The clock relative dates ("since yesterday") are resolved against; default: the system clock. */
  readonly now?: () => Date;
}

/** Call options: the tools bound with `bindTools`, in OpenAI function format, and `tool_choice`. */
export interface OfflinePlannerCallOptions extends BaseChatModelCallOptions {
  readonly tools?: readonly (BindToolsInput | FunctionTool)[];
}

const INDEX_CACHE_SIZE = 16;

/**
 * A deterministic, offline tool-calling chat model: the default when no model API key is set.
 *
 * It reads only the bound tools' names, descriptions and JSON schemas. It splits the latest request
 * into parts, picks a tool for each (BM25 over tool texts, verbs, and how well the part fills the
 * schema), fills arguments from the schema (quotes, enums, numbers, identifiers, dates), chains
 * parts that point back at earlier results, asks when nothing fits or a required value is
 * unknown, and writes the final answer from the tool results. Tool call ids are `call_<turn>_<part>`.
 */
export class OfflinePlanner extends BaseChatModel<OfflinePlannerCallOptions, AIMessageChunk> {
  readonly #now: () => Date;
  readonly #indexes = new BoundedMap<string, ToolIndex>(INDEX_CACHE_SIZE);
  // The tool list a binding passes on every call is the same array, so its index is found by
  // identity first, without converting and serialising every tool's schema again per decision.
  readonly #byList = new WeakMap<readonly unknown[], ToolIndex>();

  static override lc_name(): string {
    return 'OfflinePlanner';
  }

  constructor(options: OfflinePlannerOptions = {}) {
    super(options);
    this.#now = options.now ?? (() => new Date());
  }

  _llmType(): string {
    return 'offline-planner';
  }

  override get callKeys(): string[] {
    return [...super.callKeys, 'tools', 'tool_choice'];
  }

  /** Binds tools (LangChain tools, MCP tools loaded by the adapters, or OpenAI function definitions). */
  override bindTools(
    tools: BindToolsInput[],
    kwargs?: Partial<OfflinePlannerCallOptions>,
  ): Runnable<BaseLanguageModelInput, AIMessageChunk, OfflinePlannerCallOptions> {
    return this.withConfig({ tools: tools.map((tool) => convertToOpenAITool(tool)), ...kwargs } as Partial<OfflinePlannerCallOptions>);
  }

  #index(tools: readonly (BindToolsInput | FunctionTool)[]): ToolIndex {
    const known = this.#byList.get(tools);
    if (known) return known;
    const converted = tools.map((tool) => convertToOpenAITool(tool as BindToolsInput) as FunctionTool);
    const key = JSON.stringify(converted.map((tool) => tool.function));
    let index = this.#indexes.get(key);
    if (!index) {
      index = new ToolIndex(converted);
      this.#indexes.set(key, index);
    }
    this.#byList.set(tools, index);
    return index;
  }

  async _generate(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    _runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    const index = this.#index(options.tools ?? []);
    const decision = decide(messages, index, { now: this.#now(), toolChoice: options.tool_choice });
    const message =
      decision.kind === 'calls'
        ? new AIMessage({
            content: '',
            tool_calls: decision.calls.map((call) => ({ id: call.id, name: call.name, args: call.args, type: 'tool_call' as const })),
            response_metadata: { model_provider: 'offline', finish_reason: 'tool_calls' },
          })
        : new AIMessage({
            content: decision.text,
            response_metadata: {
              model_provider: 'offline',
              finish_reason: 'stop',
              clarification: decision.clarification,
              asks_for_value: decision.asksForValue === true,
            },
          });
    return { generations: [{ text: decision.kind === 'answer' ? decision.text : '', message }] };
  }
}

export type { FunctionTool } from './toolIndex.ts';
