import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { runLoad } from './bench/load.ts';
const cpu = (pid: number) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
const META = '"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"bench","version":"1"}}';
for (const kind of process.argv.slice(2)) {
  const child = fork(new URL('./bench/servers.ts', import.meta.url).pathname, [kind], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  let out = '';
  for await (const c of child.stdout!) { out += String(c); if (/port=\d+/.test(out)) break; }
  const port = Number(/port=(\d+)/.exec(out)![1]);
  const modern = kind.includes('modern') || kind === 'sdk2';
  let headers: ((c: number) => Record<string, string>) | undefined = modern ? () => ({ 'Mcp-Protocol-Version': '2026-07-28', 'Mcp-Method': 'tools/call', 'Mcp-Name': 'echo' }) : undefined;
  if (kind === 'kit-stateful') {
    const r = await fetch(`http://127.0.0.1:${port}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'b', version: '1' } } }) });
    await r.text(); const id = r.headers.get('mcp-session-id')!; headers = () => ({ 'Mcp-Session-Id': id });
  }
  const body = modern ? (c: number, i: number) => `{"jsonrpc":"2.0","id":${i},"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello ${c}-${i}"},${META}}}`
    : (c: number, i: number) => `{"jsonrpc":"2.0","id":${i},"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello ${c}-${i}"}}}`;
  await runLoad({ port, path: '/mcp', connections: 8, durationMs: 1500, warmupMs: 0, body, headers });
  const before = cpu(child.pid!);
  const r = await runLoad({ port, path: '/mcp', connections: 8, durationMs: 3000, warmupMs: 0, body, headers });
  const used = cpu(child.pid!) - before;
  console.log(kind, 'requests', r.requests, 'errors', r.errors, 'server CPU us/request', Math.round((used * 1000) / r.requests));
  child.kill('SIGTERM');
}
