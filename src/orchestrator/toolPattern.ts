/**
 * A matcher for the tool-name lists of a server entry (`exclude`, `approve`): exact MCP names,
 * with `*` for any run of characters.
 */
export function toolMatcher(patterns: readonly string[]): (tool: string) => boolean {
  const regexes = patterns.map(
    (p) =>
      new RegExp(
        `^${p
          .split('*')
          .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
        'su',
      ),
  );
  return (tool) => regexes.some((r) => r.test(tool));
}
