/**
 * The server's clock as this browser estimates it, so media plays at the same moment everywhere.
 * Each pong carries the client's send time `t` and the server's clock: assuming the answer was
 * made halfway through the round trip, offset = server - (t + received) / 2, off by at most half
 * the round trip. The sample with the shortest round trip among the recent ones is the least
 * disturbed by queues, so that one is used (NTP's clock filter does the same).
 */
const SAMPLES = 8;

export interface ClockSample {
  rtt: number;
  offset: number;
}

export class ServerClock {
  private samples: ClockSample[] = [];
  /** A rough one-way guess until the first pong (a media_state's `now`): better than none. */
  private hinted: number | null = null;

  constructor(private readonly local: () => number = Date.now) {}

  /** A pong arrived: `t` is what the ping carried (local ms), `server` the server's clock then. */
  pong(t: number, server: number | undefined): void {
    if (server === undefined) return;
    const received = this.local();
    const rtt = received - t;
    if (!(rtt >= 0) || rtt > 30_000) return;
    this.samples.push({ rtt, offset: server - (t + received) / 2 });
    if (this.samples.length > SAMPLES) this.samples.shift();
  }

  /** A server time stamped just before sending: used only until a pong gives a real estimate. */
  hint(serverNow: number): void {
    if (this.samples.length === 0) this.hinted = serverNow - this.local();
  }

  /** Server ms minus local ms (0 while nothing is known). */
  get offset(): number {
    let best: ClockSample | null = null;
    for (const s of this.samples) if (best === null || s.rtt < best.rtt) best = s;
    return best?.offset ?? this.hinted ?? 0;
  }

  /** Now, on the server's clock. */
  now(): number {
    return this.local() + this.offset;
  }
}
