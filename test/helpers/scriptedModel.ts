import { BaseChatModel, type BaseChatModelParams } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';

export type Script = (messages: BaseMessage[], toolNames: string[]) => AIMessage;

/**
 * A chat model that answers from a script, for graph tests: each turn calls the script with
 * what the model would see and the tools bound to it, and records both.
 */
export class ScriptedChatModel extends BaseChatModel {
  readonly seen: { messages: BaseMessage[]; tools: string[] }[] = [];
  private readonly script: Script;
  private boundTools: string[] = [];

  constructor(script: Script, params: BaseChatModelParams = {}) {
    super(params);
    this.script = script;
  }

  _llmType(): string {
    return 'scripted';
  }

  override bindTools(tools: unknown[]): ScriptedChatModel {
    const bound = new ScriptedChatModel(this.script);
    (bound as { seen: unknown }).seen = this.seen;
    bound.boundTools = tools.map((tool) => (tool as { name: string }).name);
    return bound;
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    this.seen.push({ messages, tools: this.boundTools });
    const message = this.script(messages, this.boundTools);
    return { generations: [{ message, text: typeof message.content === 'string' ? message.content : '' }] };
  }
}

/** Answers with the given tool calls on the first turn, then with `answer`. */
export function callThenAnswer(
  calls: { name: string; args: Record<string, unknown>; id?: string }[],
  answer: (messages: BaseMessage[]) => string,
): Script {
  return (messages) => {
    const lastHuman = messages.map((m) => m.getType()).lastIndexOf('human');
    const sinceHuman = messages.slice(lastHuman + 1);
    if (!sinceHuman.some((m) => m.getType() === 'ai')) {
      return new AIMessage({
        content: '',
        tool_calls: calls.map((call, i) => ({ id: call.id ?? `call_${i}`, name: call.name, args: call.args, type: 'tool_call' as const })),
      });
    }
    return new AIMessage(answer(messages));
  };
}
