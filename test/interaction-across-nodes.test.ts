/**
 * Chat and mute when writes come from several nodes: the test commits to the talk's log as
 * another node's handler would (its local checks passed on its own copy of the state), and this
 * node's connections hear what applying the event changes, once, in seq order.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PROTOCOL_VERSION, type Role, type ServerMessage } from '../protocol/messages.ts';
import type { RunningServer } from '../server/start.ts';
import { CHAT_EVENTS, sentLineId, type SentData } from '../server/features/chat/log.ts';
import { MUTE_EVENTS, type MutedData } from '../server/features/mute/index.ts';
import { silent, TestClient } from './support/client.ts';
import { startTestServer } from './support/server.ts';
import { talkHostOf } from './support/talk-host.ts';

async function join(server: RunningServer, role: Role, participant?: string): Promise<TestClient> {
  const c = await TestClient.connect(server.port);
  const secret = role === 'presenter' ? server.presenterKey : role === 'moderator' ? server.moderatorKey : undefined;
  c.send({ type: 'hello', v: PROTOCOL_VERSION, role, talk: server.code, ...(secret ? { key: secret } : {}), ...(participant ? { participant } : {}) });
  await c.next('welcome');
  await c.next('chat_snapshot');
  return c;
}

async function refusal(c: TestClient, ref: string): Promise<Extract<ServerMessage, { type: 'error' }>> {
  for (;;) {
    const error = await c.next('error');
    if (error.ref === ref) return error;
  }
}

describe('chat and mute written by several nodes', () => {
  let server: RunningServer;
  const open: TestClient[] = [];
  const track = (c: TestClient) => (open.push(c), c);
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    for (const c of open) c.close();
    await server.close();
  });

  it('tells a mute that two nodes committed at once only once, and holds it', async () => {
    const loud = track(await join(server, 'audience', 'nodes-loud'));
    const moderator = track(await join(server, 'moderator'));
    const { talk } = talkHostOf(server);
    const data: MutedData = { participant: 'nodes-loud', on: true };
    // Two moderators on two nodes, each seeing the participant unmuted: both writes reach the log.
    await Promise.all([
      talk.commit({ kind: MUTE_EVENTS.muted, data, participant: null, key: null }),
      talk.commit({ kind: MUTE_EVENTS.muted, data, participant: null, key: null }),
    ]);
    assert.equal((await loud.next('muted')).muted, true);
    assert.equal((await moderator.next('mutes')).authors.length, 1);
    assert.ok(await silent(loud, 'muted', 300), 'the repeat is not told again');
    assert.ok(await silent(moderator, 'mutes', 100), 'staff hear it once');
    loud.send({ type: 'chat', key: 'after-mute', text: 'still here?' });
    assert.equal((await refusal(loud, 'chat')).code, 'muted');

    await talk.commit({ kind: MUTE_EVENTS.muted, data: { participant: 'nodes-loud', on: false } satisfies MutedData, participant: null, key: null });
    assert.equal((await loud.next('muted')).muted, false);
    loud.send({ type: 'chat', key: 'after-unmute', text: 'back' });
    assert.equal((await loud.next('ack')).key, 'after-unmute');
  });

  it("gives a chat line the id any node would give it, and shows a re-submitted line once", async () => {
    const sender = track(await join(server, 'audience', 'nodes-chatty'));
    const reader = track(await join(server, 'audience', 'nodes-reader'));
    sender.send({ type: 'chat', key: 'line-1', text: 'hello all' });
    const line = (await reader.next('chat_line')).line;
    assert.equal(line.id, sentLineId('nodes-chatty', 'line-1'));
    // The same line committed again under a new seq (a cluster restore re-submitting what a node held).
    const data: SentData = { id: line.id, text: 'hello all', name: null };
    await talkHostOf(server).talk.commit({ kind: CHAT_EVENTS.sent, data, participant: 'nodes-chatty', key: 'line-1-resubmitted' });
    assert.ok(await silent(reader, 'chat_line', 300), 'nobody hears the line twice');
    const late = await TestClient.connect(server.port);
    track(late);
    late.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code, participant: 'nodes-late' });
    const snapshot = await late.next('chat_snapshot');
    assert.equal(snapshot.lines.filter((l) => l.id === line.id).length, 1);
  });
});
