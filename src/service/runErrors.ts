import { SwitchboardError, UserError } from '../errors.ts';

/**
 * Why the run layer turned a request down, in its own words: no HTTP status and no CLI flag. The
 * HTTP API maps these in one place (`httpErrorOf` in `httpError.ts`), the MCP face in another
 * (`toolErrorOf` in `mcpFace.ts`).
 */
export abstract class RunRefusal extends SwitchboardError {}

/** The request itself is wrong (input, decisions that name no pending call); the message says what to change. */
export class RunInputError extends UserError {}

/** The run or thread does not exist, or the caller may not see it (the two are told apart by nobody). */
export class RunNotFoundError extends RunRefusal {
  /** What was looked for: `run …` or `thread …`. */
  readonly what: string;

  constructor(what: string) {
    super(`${what} not found`);
    this.what = what;
  }
}

/** The run or thread is not in a state that allows this (finished, not waiting, busy with another run). */
export class RunConflictError extends RunRefusal {}

/** The caller has as many runs running and queued as the limits allow; try again after `retryAfterSeconds`. */
export class RunLimitedError extends RunRefusal {
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** This replica takes no runs now (it is shutting down); another replica, or this one later, will. */
export class RunUnavailableError extends RunRefusal {
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
