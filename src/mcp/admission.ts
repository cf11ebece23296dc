import type { ServerResponse } from 'node:http';
import { MCP_SERVER_ERROR, sendJsonRpcError } from './jsonrpc.ts';
import type { Admission, SessionManager } from './sessionManager.ts';

/** Answers a refused new session (every session in the way is busy); false when it may open. */
export function refuseAdmission(res: ServerResponse, admission: Admission, sessions: SessionManager): boolean {
  if (admission === 'ok') return false;
  if (admission === 'client-full') {
    sendJsonRpcError(
      res,
      429,
      MCP_SERVER_ERROR,
      `Too Many Requests: this client has ${sessions.maxSessionsPerClient} sessions open (the per-client limit), all busy; close one with DELETE`,
      { 'retry-after': '5' },
    );
  } else {
    sendJsonRpcError(
      res,
      503,
      MCP_SERVER_ERROR,
      `Service Unavailable: ${sessions.maxSessions} sessions are open (the limit), all busy; retry shortly`,
      { 'retry-after': '5' },
    );
  }
  return true;
}
