/**
 * Every frame the server sends in the integration tests is checked against the published
 * server-message schemas (protocol/contract.ts), so docs/asyncapi.json and docs/protocol.md
 * cannot drift from the server again. The test clients (client.ts, raw-ws.ts, the browser
 * pages of browser.ts, and the few tests holding a bare `ws` socket) call checkServerFrame on
 * each text frame; a frame the contract does not allow fails the test that is running.
 * This lives in test support, never in the server's hot path.
 */
import type WebSocket from 'ws';
import { checkServerMessage } from '../../protocol/contract.ts';
import type { ServerMessage } from '../../protocol/messages.ts';

export class ContractViolation extends Error {
  override name = 'ContractViolation';
}

/** Problems seen so far in this test process (for a test of this module). */
export const violations: string[] = [];

/**
 * Parses one text frame from the server and checks it: the message, or null after reporting
 * the problem. The report is thrown outside the caller's stack (an uncaught exception fails
 * the running test in node:test), so no listener between here and the test can swallow it.
 */
export function checkServerFrame(text: string, where = 'a test client'): ServerMessage | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return report(`${where} got a frame that is not JSON: ${String(err)}`, text);
  }
  return checkServerData(data, text, where);
}

/** checkServerFrame for a frame the caller has parsed already (`text` is only for the report). */
export function checkServerData(data: unknown, text: string, where = 'a test client'): ServerMessage | null {
  const result = checkServerMessage(data);
  if (!result.ok) return report(`${where} got a server message the contract does not allow: ${result.problem}`, text);
  return result.message;
}

function report(problem: string, text: string): null {
  const detail = `${problem}\n  frame: ${text.length > 600 ? `${text.slice(0, 600)}…` : text}`;
  violations.push(detail);
  const error = new ContractViolation(detail);
  setImmediate(() => {
    throw error;
  });
  return null;
}

/** For tests that hold a bare ws socket: checks every text frame it receives. */
export function watchServerFrames(ws: WebSocket, where = 'a ws client'): WebSocket {
  ws.on('message', (data, isBinary) => {
    if (isBinary) report(`${where} got a binary frame; the server sends only text`, '(binary)');
    else checkServerFrame(data.toString(), where);
  });
  return ws;
}
