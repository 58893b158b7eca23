import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { liveDeckTarget } from './config.ts';

const SCRIPT = 'https://live.example:8443/livedeck.js';

describe('liveDeckTarget', () => {
  it('takes server and talk from the config, and follows without a key', () => {
    assert.deepEqual(liveDeckTarget({ server: 'http://10.0.0.5:8080', talk: 'K7P4QX' }, null, ''), {
      socket: 'ws://10.0.0.5:8080/ws',
      talk: 'K7P4QX',
      key: null,
    });
  });

  it('reads the talk from a join link and uses wss under https', () => {
    assert.deepEqual(liveDeckTarget({ server: 'https://live.example/j/K7P4QX' }, null, ''), { socket: 'wss://live.example/ws', talk: 'K7P4QX', key: null });
  });

  it('defaults the server to where livedeck.js came from', () => {
    assert.deepEqual(liveDeckTarget({ talk: 'ABC123' }, SCRIPT, ''), { socket: 'wss://live.example:8443/ws', talk: 'ABC123', key: null });
  });

  it("drives with the presenter key from the page's fragment, else from a presenter link or the config", () => {
    assert.equal((liveDeckTarget({ talk: 'A', key: 'cfg' }, SCRIPT, '#key=frag') as { key: string }).key, 'frag');
    assert.equal((liveDeckTarget({ server: 'https://h/presenter/ABC#key=link' }, null, '#/2') as { key: string }).key, 'link');
    assert.equal((liveDeckTarget({ talk: 'A', key: 'cfg' }, SCRIPT, '#/3/1') as { key: string }).key, 'cfg');
  });

  it('says what is missing or wrong instead of connecting somewhere', () => {
    assert.match((liveDeckTarget(undefined, null, '') as { error: string }).error, /livedeck\.server/);
    assert.match((liveDeckTarget({ server: 'https://h' }, null, '') as { error: string }).error, /livedeck\.talk/);
    assert.match((liveDeckTarget({ server: 'javascript:alert(1)', talk: 'A' }, null, '') as { error: string }).error, /not an http/);
    assert.match((liveDeckTarget({ server: 'not a url', talk: 'A' }, null, '') as { error: string }).error, /not a URL/);
  });
});
