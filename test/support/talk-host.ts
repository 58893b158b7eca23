/**
 * The TalkHost behind a running test server, for tests that act as another node of a cluster
 * would: commit a write another node made, or deliver a signal another node published. The relay
 * keeps its talks private; this reaches them through the same lookup its handlers use.
 */
import type { RunningServer } from '../../server/start.ts';
import type { HandlerContext } from '../../server/talk/feature.ts';
import type { TalkHost } from '../../server/talk/host.ts';

export function talkHostOf(server: RunningServer): TalkHost {
  const host = (server.relay as unknown as { ctx: HandlerContext }).ctx.findTalk(server.code);
  if (!host) throw new Error(`No talk ${server.code} on this server.`);
  return host;
}
