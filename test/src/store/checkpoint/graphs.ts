// Small real LangGraph graphs for exercising a checkpointer end to end.
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import { END, MessagesAnnotation, START, StateGraph, interrupt } from '@langchain/langgraph';
import type { BaseCheckpointSaver } from '@langchain/langgraph-checkpoint';

/** Answers each message with `echo: <text>`; state is the message list, so a thread accumulates. */
export function createEchoGraph(checkpointer: BaseCheckpointSaver) {
  return new StateGraph(MessagesAnnotation)
    .addNode('echo', (state) => ({ messages: [new AIMessage(`echo: ${textOf(state.messages.at(-1))}`)] }))
    .addEdge(START, 'echo')
    .addEdge('echo', END)
    .compile({ checkpointer });
}

/** Stops for approval (`interrupt`) and answers with the value it is resumed with. */
export function createApprovalGraph(checkpointer: BaseCheckpointSaver) {
  return new StateGraph(MessagesAnnotation)
    .addNode('approve', () => {
      const decision: unknown = interrupt({ question: 'run the tool?' });
      return { messages: [new AIMessage(`decision: ${String(decision)}`)] };
    })
    .addEdge(START, 'approve')
    .addEdge('approve', END)
    .compile({ checkpointer });
}

export function textOf(message: BaseMessage | undefined): string {
  return typeof message?.content === 'string' ? message.content : JSON.stringify(message?.content);
}

export function textsOf(messages: readonly BaseMessage[]): string[] {
  return messages.map(textOf);
}
