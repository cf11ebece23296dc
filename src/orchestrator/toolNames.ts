import { createHash } from 'node:crypto';

/** What OpenAI-compatible models accept as a tool name; many other providers refuse the rest too. */
export const MODEL_TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const MAX_LENGTH = 64;

/** One tool as a server lists it: the server's name and the tool's MCP name (any string MCP allows). */
export interface ToolRef {
  readonly server: string;
  readonly tool: string;
}

export interface ToolNaming {
  /** The model-facing name of each tool, keyed by {@link toolKey}; tools left out have none. */
  readonly names: ReadonlyMap<string, string>;
  /** Collisions no name could break, each naming both tools (the second is left out). */
  readonly warnings: readonly string[];
}

export const toolKey = (ref: ToolRef): string => `${ref.server}\u0000${ref.tool}`;

/** A stable 16-hex-digit digest of the tool's identity, so a suffix never depends on what else is listed. */
function digest(ref: ToolRef): string {
  return createHash('sha256').update(toolKey(ref)).digest('hex').slice(0, 16);
}

/** The readable part: accents dropped, every run of other characters as one `_`; undefined when nothing readable is left. */
function readable(text: string): string | undefined {
  const ascii = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^a-zA-Z0-9_-]+/g, '_');
  return /[a-zA-Z0-9]/.test(ascii) ? ascii : undefined;
}

/**
 * The names a tool may get, best first: `server__` + its readable name, then with 8 and 16 digits
 * of its digest appended (only those when the readable name is too long for 64 characters or has
 * nothing readable in it); without the prefix, its readable name, then the prefixed names. Each
 * is model-safe.
 */
export function candidateNames(ref: ToolRef, prefix: boolean): string[] {
  const part = readable(ref.tool);
  const base = `${prefix ? `${readable(ref.server) ?? 'server'}__` : ''}${part ?? 'tool'}`;
  const hash = digest(ref);
  const suffixed = (digits: number) => `${base.slice(0, MAX_LENGTH - digits - 1)}_${hash.slice(0, digits)}`;
  const out = part !== undefined && base.length <= MAX_LENGTH ? [base] : [];
  // Without the prefix, the server's name is what tells two tools apart best.
  if (!prefix) return [...new Set([...out, ...candidateNames(ref, true)])];
  return [...new Set([...out, suffixed(8), suffixed(16)])];
}

/** Whether the plain candidate is the tool's own name unchanged (it then wins a collision). */
const isVerbatim = (ref: ToolRef, prefix: boolean) => MODEL_TOOL_NAME.test(`${prefix ? `${ref.server}__` : ''}${ref.tool}`);

/**
 * Model-safe names (`^[a-zA-Z0-9_-]{1,64}$`) for every listed tool, unique across all servers and
 * the same for the same set of tools on every run, so a thread's earlier calls keep naming real
 * tools. `kb.lookup` of server `docs` is `docs__kb_lookup`; a name that had to be cut, or that
 * would collide, gets digits of a digest of its server and MCP name. Tools whose name needed no
 * change pick first, then in order of server and tool name. A tool whose every candidate is taken
 * is left out with a warning naming both tools; no tool name ever fails a run.
 */
export function assignToolNames(tools: readonly ToolRef[], options: { prefix?: boolean } = {}): ToolNaming {
  const prefix = options.prefix ?? true;
  const order = [...tools].sort(
    (a, b) => Number(isVerbatim(b, prefix)) - Number(isVerbatim(a, prefix)) || compare(a.server, b.server) || compare(a.tool, b.tool),
  );
  const names = new Map<string, string>();
  const owner = new Map<string, ToolRef>();
  const warnings: string[] = [];
  for (const ref of order) {
    const key = toolKey(ref);
    if (names.has(key)) continue; // listed twice: one tool
    const candidates = candidateNames(ref, prefix);
    const free = candidates.find((name) => !owner.has(name));
    if (free === undefined) {
      const other = owner.get(candidates[0]!)!;
      warnings.push(
        `left out tool "${ref.tool}" of server "${ref.server}": every model-safe name for it is taken (${candidates[0]} is tool "${other.tool}" of server "${other.server}")`,
      );
      continue;
    }
    names.set(key, free);
    owner.set(free, ref);
  }
  return { names, warnings };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
