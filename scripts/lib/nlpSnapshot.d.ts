/** See nlpSnapshot.js: runs the entry `script` again from the CLI's start-up snapshot; its exit code, or undefined to go on here. */
export function rerunFromSnapshot(script: string): Promise<number | undefined>;
/** See nlpSnapshot.js: the Node flags that start the built-in agents' process from its snapshot, or none yet. */
export function agentsSnapshotFlags(): string[];
