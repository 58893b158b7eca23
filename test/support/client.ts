import WebSocket from 'ws';
import { PROTOCOL_VERSION, type ClientMessage, type Role, type ServerMessage } from '../../protocol/messages.ts';
import { checkServerData } from './contract-check.ts';

/**
 * A real WebSocket client speaking livedeck's protocol, with a queue so tests can wait for
 * the next message of a type without racing the socket.
 */
export class TestClient {
  readonly messages: ServerMessage[] = [];
  private waiters: Array<() => void> = [];
  closeCode: number | null = null;
  /** The first frame that broke the protocol contract, if any (test/support/contract-check.ts). */
  violation: string | null = null;
  private readonly opened: Promise<void>;
  private readonly closed: Promise<number>;

  constructor(readonly ws: WebSocket) {
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    this.closed = new Promise((resolve) => ws.once('close', (code) => resolve(code)));
    ws.on('error', () => undefined);
    ws.on('message', (data) => {
      const text = data.toString();
      const message = JSON.parse(text) as ServerMessage;
      // Every frame is held to the published contract; one it does not allow fails the test.
      if (checkServerData(message, text, 'TestClient') === null) this.violation ??= text;
      this.messages.push(message);
      this.notify();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.notify();
    });
  }

  static async connect(port: number, headers: Record<string, string> = {}): Promise<TestClient> {
    const client = new TestClient(new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers }));
    await client.opened;
    return client;
  }

  /** Connects and says hello; resolves after the welcome. */
  static async join(port: number, talk: string, role: Role, key?: string): Promise<TestClient> {
    const client = await TestClient.connect(port);
    client.send({ type: 'hello', v: PROTOCOL_VERSION, role, talk, ...(key ? { key } : {}) });
    await client.next('welcome');
    return client;
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  send(message: ClientMessage): void {
    this.ws.send(JSON.stringify(message));
  }

  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  /** Removes and returns the first queued message of `type`, waiting up to `timeoutMs`. */
  async next<T extends ServerMessage['type']>(type: T, timeoutMs = 3000): Promise<Extract<ServerMessage, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.violation !== null) throw new Error(`the server sent a message the protocol contract does not allow: ${this.violation.slice(0, 300)}`);
      const index = this.messages.findIndex((m) => m.type === type);
      if (index >= 0) return this.messages.splice(index, 1)[0] as Extract<ServerMessage, { type: T }>;
      if (this.closeCode !== null) throw new Error(`socket closed (${this.closeCode}) while waiting for ${type}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${type}; have ${JSON.stringify(this.messages.map((m) => m.type))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits until the socket closes and returns the close code. */
  async waitClose(timeoutMs = 3000): Promise<number> {
    return Promise.race([
      this.closed,
      new Promise<number>((_, reject) => setTimeout(() => reject(new Error('socket did not close')), timeoutMs)),
    ]);
  }

  close(): void {
    this.ws.close();
  }
}

/** True if no message of `type` reaches `c` within `ms`: for asserting that something was not sent. */
export async function silent(c: TestClient, type: ServerMessage['type'], ms = 200): Promise<boolean> {
  try {
    await c.next(type, ms);
    return false;
  } catch {
    return true;
  }
}
