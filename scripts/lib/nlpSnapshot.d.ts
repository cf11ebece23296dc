/** See nlpSnapshot.js: runs the entry `script` again from the CLI's start-up snapshot; its exit code, or undefined to go on here. */
export function rerunFromSnapshot(script: string): Promise<number | undefined>;
/** SWITCHBOARD_START_CACHES=off (or 0, false, no): the CLI starts with neither start-up cache. */
export function startCachesOff(): boolean;
