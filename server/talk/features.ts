import type { ClientMessage, ClientMessageType, WelcomeMessage } from '../../protocol/messages.ts';
import type { Peer } from '../room/peer.ts';
import type { StoredEvent } from '../store/types.ts';
import type { Feature, Handler, HandlerContext, HandlerTable, Join } from './feature.ts';

type AnyHandler = Handler<ClientMessageType>;

/**
 * A talk's features as the relay runs them: one handler per message type, events routed to the
 * feature that owns their kind (then to those that watch it), joiners' messages in list order.
 */
export class FeatureSet {
  private readonly table = new Map<string, AnyHandler>();
  private readonly routes = new Map<string, Feature[]>();

  constructor(readonly list: readonly Feature[]) {
    const owners = new Map<string, string>();
    for (const feature of list) {
      for (const [type, handler] of Object.entries(feature.handlers ?? {}) as Array<[string, AnyHandler]>) {
        if (this.table.has(type)) throw new Error(`Two features handle "${type}" (${feature.name} and another).`);
        this.table.set(type, handler);
      }
      for (const kind of feature.kinds ?? []) {
        const owner = owners.get(kind);
        if (owner) throw new Error(`Event kind "${kind}" is owned by both ${owner} and ${feature.name}.`);
        owners.set(kind, feature.name);
        this.route(kind).unshift(feature);
      }
    }
    for (const feature of list) for (const kind of feature.watches ?? []) this.route(kind).push(feature);
  }

  /** Message types no feature handles, beyond those the relay answers itself. */
  unhandled(allTypes: readonly string[], relayTypes: readonly string[]): string[] {
    return allTypes.filter((type) => !relayTypes.includes(type) && !this.table.has(type));
  }

  dispatch(peer: Peer, message: ClientMessage, ctx: HandlerContext): boolean {
    const handler = this.table.get(message.type) as ((peer: Peer, message: ClientMessage, ctx: HandlerContext) => void) | undefined;
    if (!handler) return false;
    handler(peer, message, ctx);
    return true;
  }

  apply(event: StoredEvent, live: boolean): void {
    const features = this.routes.get(event.kind);
    if (features) for (const feature of features) feature.apply?.(event, live);
  }

  /** A presenter hello whose key is not the presenter key: a feature may know the device (a paired phone). */
  admitsPresenter(peer: Peer, key: string | undefined): boolean {
    return this.list.some((feature) => feature.admitsPresenter?.(peer, key) === true);
  }

  welcome(peer: Peer, welcome: WelcomeMessage): string | undefined {
    let polls: string | undefined;
    for (const feature of this.list) {
      feature.welcome?.(peer, welcome);
      polls ??= feature.welcomePollsJson?.(peer);
    }
    return polls;
  }

  joined(peer: Peer, join: Join): string[] {
    const out: string[] = [];
    for (const feature of this.list) if (feature.joined) out.push(...feature.joined(peer, join));
    return out;
  }

  started(): void {
    for (const feature of this.list) feature.started?.();
  }

  stop(): void {
    for (const feature of this.list) feature.stop?.();
  }

  private route(kind: string): Feature[] {
    let list = this.routes.get(kind);
    if (!list) this.routes.set(kind, (list = []));
    return list;
  }
}

export type { HandlerTable };
