import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CLIENT_AUTH_SCENARIOS, runClientConformance } from '../../helpers/conformance.ts';

// The official suite starts its own MCP and authorization servers on localhost for each scenario and drives
// test/helpers/conformanceClient.ts: McpClientPool → openClient → the OAuth fetch, with a client that
// registers itself and follows the non-interactive authorization redirect.
describe('the orchestrator passes the MCP conformance client auth scenarios', { concurrency: 4 }, () => {
  for (const scenario of CLIENT_AUTH_SCENARIOS) {
    test(scenario, async () => {
      const result = await runClientConformance(scenario);
      assert.ok(result.passed > 0, `${scenario} ran no checks:\n${result.output}`);
      assert.equal(result.failed, 0, `${scenario} failed:\n${result.output}`);
      assert.equal(result.warnings, 0, `${scenario} warned:\n${result.output}`);
    });
  }
});
