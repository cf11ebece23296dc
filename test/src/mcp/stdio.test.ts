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
