// The test agent over stdio, for transport tests.
import { serveStdio } from '../../src/mcp/index.ts';
import { createTestAgent } from './testAgent.ts';

await serveStdio(createTestAgent());
