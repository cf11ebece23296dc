import type { ApprovalRequest, RunEvent } from '../../src/agent/index.ts';

/** `incident__create_incident` of server `incident` as `create_incident`. */
const shortName = (name: string, server: string | undefined) =>
  server !== undefined && name.startsWith(`${server}__`) ? name.slice(server.length + 2) : name;

const compact = (value: unknown, max = 120) => {
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};

/**
 * Renders a run's progress on stderr: which agent and tool runs, its progress messages and
 * durations. Colours and an updating progress line on a terminal; plain lines otherwise.
 */
export function createProgressRenderer(out: NodeJS.WriteStream) {
  const tty = out.isTTY === true;
  const paint = (code: number, text: string) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text);
  let transient = false;
  const clear = () => {
    if (transient) out.write('\r\x1b[2K');
    transient = false;
  };
  const line = (text: string) => {
    clear();
    out.write(`${text}\n`);
  };
  return {
    info: (text: string) => line(paint(2, text)),
    warning: (text: string) => line(paint(33, `warning: ${text}`)),
    event(event: RunEvent): void {
      switch (event.type) {
        case 'tool_start':
          line(
            `${paint(36, '→')} ${event.server ? `${event.server}: ` : ''}${shortName(event.name, event.server)} ${paint(2, compact(event.args))}`,
          );
          return;
        case 'tool_progress': {
          const amount = event.total ? `${event.progress}/${event.total}` : String(event.progress);
          const text = `  … ${event.name.replace(/^.+?__/, '')} ${amount}${event.message ? ` ${event.message}` : ''}`;
          if (tty) {
            clear();
            out.write(paint(2, text.slice(0, (out.columns ?? 100) - 1)));
            transient = true;
          } else {
            line(text);
          }
          return;
        }
        case 'tool_end':
          line(
            `${event.ok ? paint(32, '✓') : paint(31, '✗')} ${event.name} ${paint(2, `${event.durationMs} ms`)}${event.ok ? '' : ` ${paint(31, compact(event.result, 200))}`}`,
          );
          return;
        case 'tool_declined':
          line(`${paint(33, '⊘')} ${event.name} not run: ${event.reason}`);
          return;
        case 'warning':
          line(paint(33, `warning: ${event.message}`));
      }
    },
    describeApproval: (call: ApprovalRequest) => `${call.name} ${compact(call.args, 300)} (${call.reason})`,
  };
}
