import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { test } from 'node:test';

interface Answer {
  id: number | string | null;
  result?: unknown;
  error?: { code: number; message: string };
}

const INIT = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } },
});

test('regression: over stdio every line gets an answer (issue 9)', { timeout: 30_000 }, async () => {
  const child = spawn(process.execPath, ['test/helpers/stdioTestAgent.ts'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const ask = async (line: string): Promise<Answer> => {
      child.stdin.write(`${line}\n`);
      const next = await answers.next();
      assert.equal(next.done, false, `no answer to ${line}`);
      return JSON.parse(next.value as string) as Answer;
    };
    assert.ok((await ask(INIT)).result);
    child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');

    const parse = await ask('{"jsonrpc":"2.0","id":5,"method":');
    assert.deepEqual([parse.id, parse.error?.code], [null, -32700]);
    for (const line of [
      '{"jsonrpc":"2.0","id":7,"method":"tools/call","p(rams":{}}',
      '{"jsonrpc":"2.0","id":7,"method":"ping","extra":1}',
      '{"jsonrpc":"2.0","id":7,"method":"ping","params":[]}',
    ]) {
      const answer = await ask(line);
      assert.deepEqual([answer.id, answer.error?.code], [7, -32600], line);
    }
    const noParams = await ask('{"jsonrpc":"2.0","id":8,"method":"tools/call"}');
    assert.deepEqual([noParams.id, noParams.error?.code], [8, -32602]);
    assert.match(noParams.error?.message ?? '', /^Invalid params for tools\/call: params:/);
    // A line split across writes and a CRLF ending still make one message.
    child.stdin.write('{"jsonrpc":"2.0","id":9,"met');
    const echo = await ask('hod":"tools/call","params":{"name":"echo","arguments":{"text":"ok"}}}\r');
    assert.equal(echo.id, 9);
    assert.deepEqual((echo.result as { structuredContent: unknown }).structuredContent, { text: 'ok' });
  } finally {
    child.stdin.end();
  }
  assert.equal(await exited, 0);
});

test('over stdio a tool call writes its progress and logs before its result', { timeout: 30_000 }, async () => {
  const child = spawn(process.execPath, ['test/helpers/stdioTestAgent.ts'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const next = async (): Promise<Record<string, unknown>> => {
      const line = await lines.next();
      assert.equal(line.done, false, 'the agent closed stdout early');
      return JSON.parse(line.value as string) as Record<string, unknown>;
    };
    child.stdin.write(`${INIT}\n`);
    assert.ok((await next())['result']);
    child.stdin.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
    child.stdin.write('{"jsonrpc":"2.0","id":2,"method":"logging/setLevel","params":{"level":"info"}}\n');
    assert.equal((await next())['id'], 2);
    // delay_ms 0: every step and the result leave in one burst, the case where a reader sees them in one chunk.
    const call = { name: 'count', arguments: { n: 3, delay_ms: 0 }, _meta: { progressToken: 'p' } };
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: call })}\n`);
    const seen: string[] = [];
    for (;;) {
      const message = await next();
      if (message['id'] === 3) break;
      const params = message['params'] as { progress?: number; data?: string };
      seen.push(message['method'] === 'notifications/progress' ? `progress ${params.progress}` : `log ${params.data}`);
    }
    assert.deepEqual(seen, ['progress 1', 'log info step 1', 'progress 2', 'log info step 2', 'progress 3', 'log info step 3']);
  } finally {
    child.stdin.end();
  }
  assert.equal(await exited, 0);
});
