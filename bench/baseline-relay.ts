/**
 * The floor livedeck is measured against: a minimal `ws` relay that speaks just enough of
 * livedeck's protocol for the same load generator (hello → welcome, goto → deck to everyone),
 * with the frame built once per message and written to every socket. No validation, no roles,
 * no store. Prints a "Presenter:" line shaped like livedeck's so bench/run.ts reads both alike.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { textFrame } from '../server/room/frame.ts';

const port = Number(process.argv[process.argv.indexOf('--port') + 1] || 0);
const http = createServer();
const wss = new WebSocketServer({ server: http, path: '/ws', perMessageDeflate: false, clientTracking: false });
const sockets = new Set<WebSocket>();
let seq = 0;
let deck = { indexh: 0, indexv: 0, indexf: -1, paused: false, overview: false };

wss.on('connection', (ws) => {
  ws.on('error', () => ws.terminate());
  ws.on('close', () => sockets.delete(ws));
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString()) as { type: string; state?: typeof deck };
    if (msg.type === 'hello') {
      sockets.add(ws);
      ws.send(JSON.stringify({ type: 'welcome', v: 1, seq, role: 'audience', connection: 'x', deck, audience: sockets.size }));
    } else if (msg.type === 'goto' && msg.state) {
      deck = msg.state;
      const frame = textFrame(JSON.stringify({ type: 'deck', seq: ++seq, state: deck, origin: '00000000-0000-4000-8000-000000000000' }));
      for (const s of sockets) if (s.readyState === WebSocket.OPEN) (s as unknown as { _socket: { write(b: Buffer): void } })._socket.write(frame);
    }
  });
});

http.listen(port, '127.0.0.1', () => {
  const { port: p } = http.address() as AddressInfo;
  process.stdout.write(`Presenter: http://127.0.0.1:${p}/presenter/BENCH#key=baseline\n`);
});
process.on('SIGTERM', () => process.exit(0));
