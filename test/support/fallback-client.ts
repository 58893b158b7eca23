import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { PROTOCOL_VERSION, type ClientMessage, type Role, type ServerMessage } from '../../protocol/messages.ts';
import type { SessionClosed, SessionOpened } from '../../protocol/transport.ts';

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
export interface StreamEvent {
  id: number | null;
  event: string;
  data: string;
}

/** Splits event-stream text into complete events; returns them and the unfinished rest. */
export function parseEvents(text: string): { events: StreamEvent[]; rest: string } {
  const events: StreamEvent[] = [];
  const blocks = text.split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let id: number | null = null;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('id: ')) id = Number(line.slice(4));
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length > 0) events.push({ id, event, data: data.join('\n') });
  }
  return { events, rest };
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
  private stream: ClientRequest | null = null;
  private waiters: Array<() => void> = [];

  private constructor(
    readonly port: number,
    readonly session: string,
  ) {}

  static async open(port: number, headers: Record<string, string> = {}): Promise<FallbackClient> {
    const answer = await http(port, 'POST', '/ld/session', '', headers);
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
      const req = request({ host: '127.0.0.1', port: this.port, path: `/ld/events?session=${this.session}`, headers }, (res) => {
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
    else this.messages.push(JSON.parse(e.data) as ServerMessage);
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  sendRaw(body: string | Buffer): Promise<HttpAnswer> {
    return http(this.port, 'POST', `/ld/send?session=${this.session}`, body, { 'content-type': 'text/plain' });
  }

  async send(...messages: ClientMessage[]): Promise<HttpAnswer> {
    const answer = await this.sendRaw(messages.map((m) => JSON.stringify(m)).join('\n'));
    if (answer.status !== 204) throw new Error(`send refused: ${answer.status} ${answer.body}`);
    return answer;
  }

  async next<T extends ServerMessage['type']>(type: T, timeoutMs = 3000): Promise<Extract<ServerMessage, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
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
    await http(this.port, 'POST', `/ld/close?session=${this.session}`, '');
  }
}
