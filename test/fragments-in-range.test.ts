import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PROTOCOL_VERSION, type DeckState } from '../protocol/messages.ts';
import type { RunningServer } from '../server/start.ts';
import { TestClient } from './support/client.ts';
import { startTestServer } from './support/server.ts';

const at = (indexh: number, indexv = 0, indexf = -1): DeckState => ({ indexh, indexv, indexf, paused: false, overview: false });

describe('fragment positions over a real server', () => {
  let server: RunningServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  it('tells every client how many fragment steps each slide has', async () => {
    const phone = await TestClient.connect(server.port);
    phone.send({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk: server.code });
    // small.md: slide 2 has two fragments, the others none; slide 3 is a stack of two.
    assert.deepEqual((await phone.next('welcome')).talk.fragments, [[0], [2], [0, 0], [0]]);
    phone.close();
  });

  it('refuses fragment indexes reveal.js cannot show with out_of_range, and broadcasts nothing', async () => {
    const presenter = await TestClient.join(server.port, server.code, 'presenter', server.presenterKey);
    const phone = await TestClient.join(server.port, server.code, 'audience');
    for (const state of [at(1, 0, 500), at(1, 0, 2), at(0, 0, 0), at(2, 1, 0), at(9, 0, -1)]) {
      presenter.send({ type: 'goto', state });
      const error = await presenter.next('error');
      assert.equal(error.code, 'out_of_range', JSON.stringify(state));
    }
    // The highest valid index is accepted, and it is the first move the phone sees.
    presenter.send({ type: 'goto', state: at(1, 0, 1) });
    assert.deepEqual((await phone.next('deck')).state, at(1, 0, 1));
    assert.deepEqual((await presenter.next('deck')).state, at(1, 0, 1));
    assert.equal(phone.messages.filter((m) => m.type === 'deck').length, 0, 'no refused move reached the phone');
    for (const c of [presenter, phone]) c.close();
  });
});
