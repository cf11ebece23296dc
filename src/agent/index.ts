export {
  DEFAULT_MAX_STEPS,
  ReactState,
  createReactGraph,
  type ReactGraph,
  type ReactGraphOptions,
  type ReactRunSettings,
  type ReactStateType,
} from './graph.ts';
export type { ApprovalDecision, ApprovalInterrupt, ApprovalRequest, ApprovalResume, RunEvent } from './events.ts';
export { approvalReason, approvalSettingOf, annotationsOf, serverOf, type ToolAnnotationsLike } from './toolMeta.ts';
export { runToolCall } from './toolRunner.ts';
export { currentProgressListener, withToolProgress, type ProgressListener, type ToolProgress } from './progress.ts';
