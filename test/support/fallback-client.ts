import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { PROTOCOL_VERSION, type ClientMessage, type Role, type ServerMessage } from '../../protocol/messages.ts';
import { FALLBACK_PATHS, type SessionClosed, type SessionOpened } from '../../protocol/transport.ts';
import { parseEventText, type EventText } from '../../client/transport/event-text.ts';
import { checkServerData } from './contract-check.ts';

export interface HttpAnswer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

/** One plain HTTP request to the server (or a proxy in front of it). */
export function http(port: number, method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** One event of a text/event-stream. */
export type StreamEvent = EventText;

/**
 * Splits event-stream text into complete events, read by the client's own parser, and the
 * unfinished rest (a stream arrives in chunks; the server ends each event with a blank line).
 */
export function parseEvents(text: string): { events: StreamEvent[]; rest: string } {
  const end = text.lastIndexOf('\n\n');
  if (end < 0) return { events: [], rest: text };
  return { events: parseEventText(text.slice(0, end)), rest: text.slice(end + 2) };
}

/**
 * A client of the fallback transport with nothing but HTTP: opens a session, reads its event
 * stream, posts messages. Messages queue so a test can wait for the next one of a type.
 */
export class FallbackClient {
  readonly messages: ServerMessage[] = [];
  /** Every event id received, in order. */
  readonly ids: number[] = [];
  closed: SessionClosed | null = null;
  /** The first event that broke the protocol contract, if any (test/support/contract-check.ts). */
  violation: string | null = null;
  private stream: ClientRequest | null = null;
  private waiters: Array<() => void> = [];

  private constructor(
    readonly port: number,
    readonly session: string,
  ) {}

  static async open(port: number, headers: Record<string, string> = {}): Promise<FallbackClient> {
    const answer = await http(port, 'POST', FALLBACK_PATHS.session, '', headers);
    if (answer.status !== 201) throw new Error(`session refused: ${answer.status} ${answer.body}`);
    return new FallbackClient(port, (JSON.parse(answer.body) as SessionOpened).session);
  }

  /** Opens a session, reads its stream, says hello and waits for the welcome. */
  static async join(port: number, talk: string, role: Role, key?: string): Promise<FallbackClient> {
    const client = await FallbackClient.open(port);
    await client.listen();
    await client.send({ type: 'hello', v: PROTOCOL_VERSION, role, talk, ...(key ? { key } : {}) });
    await client.next('welcome');
    return client;
  }

  /** Reads the event stream; `lastEventId` resumes after that event. Resolves with the answer's status once its head is in. */
  listen(lastEventId?: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = lastEventId === undefined ? {} : { 'last-event-id': String(lastEventId) };
      const req = request({ host: '127.0.0.1', port: this.port, path: `${FALLBACK_PATHS.events}?session=${this.session}`, headers }, (res) => {
        resolve(res.statusCode ?? 0);
        if (res.statusCode !== 200) return void res.resume();
        let buffered = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const { events, rest } = parseEvents(buffered + chunk);
          buffered = rest;
          for (const e of events) this.take(e);
        });
      });
      req.on('error', (err) => (this.stream === req ? reject(err) : undefined));
      req.end();
      this.stream = req;
    });
  }

  /** Drops the event stream as a lost connection would. */
  hangUp(): void {
    const stream = this.stream;
    this.stream = null;
    stream?.destroy();
  }

  take(e: StreamEvent): void {
    if (e.id !== null) this.ids.push(e.id);
    if (e.event === 'close') this.closed = JSON.parse(e.data) as SessionClosed;
    else {
      const message = JSON.parse(e.data) as ServerMessage;
      // Every event is held to the published contract, as TestClient holds every frame.
      if (checkServerData(message, e.data, 'FallbackClient') === null) this.violation ??= e.data;
      this.messages.push(message);
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  sendRaw(body: string | Buffer): Promise<HttpAnswer> {
    return http(this.port, 'POST', `${FALLBACK_PATHS.send}?session=${this.session}`, body, { 'content-type': 'text/plain' });
  }

  async send(...messages: ClientMessage[]): Promise<HttpAnswer> {
    const answer = await this.sendRaw(messages.map((m) => JSON.stringify(m)).join('\n'));
    if (answer.status !== 204) throw new Error(`send refused: ${answer.status} ${answer.body}`);
    return answer;
  }

  async next<T extends ServerMessage['type']>(type: T, timeoutMs = 3000): Promise<Extract<ServerMessage, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.violation !== null) throw new Error(`the server sent a message the protocol contract does not allow: ${this.violation.slice(0, 300)}`);
      const index = this.messages.findIndex((m) => m.type === type);
      if (index >= 0) return this.messages.splice(index, 1)[0] as Extract<ServerMessage, { type: T }>;
      if (this.closed) throw new Error(`session closed (${this.closed.code} ${this.closed.reason}) while waiting for ${type}`);
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

  /** Waits for the session's close event. */
  async waitClosed(timeoutMs = 3000): Promise<SessionClosed> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('no close event');
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.closed;
  }

  async close(): Promise<void> {
    this.hangUp();
    await http(this.port, 'POST', `${FALLBACK_PATHS.close}?session=${this.session}`, '');
  }
}
