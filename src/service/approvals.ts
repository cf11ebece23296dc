import type { ApprovalDecision, ApprovalResume } from '../agent/index.ts';
import { RunInputError } from './runErrors.ts';
import type { RunRecord } from './runStore.ts';

/** A decision for every pending call (`edit` only when there is one), or one per call id (calls left out are refused). */
export type ApprovalInput = ApprovalDecision | { readonly decisions: Readonly<Record<string, ApprovalDecision>> };

/** The decisions that resume `run`, keyed by pending call id; a `RunInputError` for ids that are not pending or an ambiguous edit. */
export function decisionsFor(run: RunRecord, input: ApprovalInput): ApprovalResume {
  const ids = run.pending.map((call) => call.id);
  if ('decisions' in input) {
    const unknown = Object.keys(input.decisions).filter((id) => !ids.includes(id));
    if (unknown.length > 0)
      throw new RunInputError(`decisions name calls that are not pending: ${unknown.join(', ')}; pending: ${ids.join(', ')}`);
    return input.decisions;
  }
  if (input.edit !== undefined && ids.length !== 1)
    throw new RunInputError(`edit applies to one call, but ${ids.length} are pending: send decisions keyed by call id instead`);
  return Object.fromEntries(ids.map((id) => [id, input]));
}
