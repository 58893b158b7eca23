import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseEventText } from './event-text.ts';

describe('parseEventText', () => {
  it('reads ids, event names and data, and skips comments', () => {
    const text = ':ok\n\nid: 1\ndata: {"type":"pong","t":1}\n\nid: 2\nevent: close\ndata: {"code":4001,"reason":"unknown_talk"}\n\n';
    assert.deepEqual(parseEventText(text), [
      { id: 1, event: 'message', data: '{"type":"pong","t":1}' },
      { id: 2, event: 'close', data: '{"code":4001,"reason":"unknown_talk"}' },
    ]);
  });

  it('accepts CRLF lines and a field without a space after the colon, as the WHATWG parser does', () => {
    assert.deepEqual(parseEventText('id:7\r\ndata:{"a":1}\r\n\r\n'), [{ id: 7, event: 'message', data: '{"a":1}' }]);
  });

  it('gives nothing for an empty long-poll answer', () => {
    assert.deepEqual(parseEventText(''), []);
  });
});
