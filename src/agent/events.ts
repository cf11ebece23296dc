/**
 * What a run reports while it works, through LangGraph's custom stream (`streamMode: "custom"`).
 * The CLI renders them as progress lines; the service relays them as server-sent events.
 */
export type RunEvent =
  | {
      readonly type: 'tool_start';
      readonly id: string;
      readonly name: string;
      readonly server: string | undefined;
      readonly args: Record<string, unknown>;
    }
  | {
      readonly type: 'tool_progress';
      readonly id: string;
      readonly name: string;
      readonly progress: number;
      readonly total: number | undefined;
      readonly message: string | undefined;
    }
  | {
      readonly type: 'tool_end';
      readonly id: string;
      readonly name: string;
      readonly server: string | undefined;
      readonly args: Record<string, unknown>;
      readonly ok: boolean;
      readonly durationMs: number;
      /** Parsed JSON when the tool answered JSON, else its text. */
      readonly result: unknown;
    }
  | { readonly type: 'tool_declined'; readonly id: string; readonly name: string; readonly reason: string }
  | { readonly type: 'warning'; readonly message: string };

/** One tool call waiting for a person's decision (the payload of the graph's interrupt). */
export interface ApprovalRequest {
  readonly id: string;
  readonly name: string;
  readonly server: string | undefined;
  readonly args: Record<string, unknown>;
  readonly reason: string;
}

/** A person's answer for one call: approve as is, approve with edited arguments, or refuse. */
export interface ApprovalDecision {
  readonly approve: boolean;
  readonly edit?: Record<string, unknown>;
}

/** What the graph's interrupt carries, and what resuming it expects back (keyed by call id). */
export interface ApprovalInterrupt {
  readonly kind: 'approval';
  readonly calls: readonly ApprovalRequest[];
}
export type ApprovalResume = Readonly<Record<string, ApprovalDecision>>;
