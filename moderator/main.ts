/**
 * The moderator page: questions and chat moderation without the power to move slides (the
 * server refuses a moderator's goto). The key comes from the URL fragment, never sent in a URL.
 */
import './moderator.css';
import { PROTOCOL_VERSION, type ServerMessage } from '../protocol/messages.ts';
import { slideRefLabel } from '../protocol/qa.ts';
import { Connection } from '../client/connection.ts';
import { el } from '../client/dom.ts';
import { mountStaffPanel } from '../client/interaction/staff-panel.ts';
import { mountConsoleFeedback } from '../client/polls/console.ts';
import { pageInfo } from '../client/page.ts';
import { badLinkMessage, staffKey } from '../client/staff-link.ts';
import { SequenceGate } from '../client/sequence.ts';
import { statusDot } from '../client/status.ts';

const { talk } = pageInfo();
const key = staffKey();
document.querySelector('.reveal')?.remove();

const status = statusDot();
const live = el('span', { className: 'ld-mod-live', text: 'Live: slide 1' });
const banner = el('div', { className: 'ld-mod-banner', attrs: { hidden: '', role: 'alert' } });
const panel = mountStaffPanel({ talk, key, send: (m) => connection.send(m) });
// Polls, reactions and pace: a moderator may open and close polls too (the server allows it).
const feedback = mountConsoleFeedback({ send: (m) => connection.send(m) });
document.body.append(
  banner,
  el('div', { className: 'ld-mod' }, [
    el('header', { className: 'ld-mod-header' }, [
      el('h1', { className: 'ld-mod-title', text: document.title.replace(/^Moderator · /, '') }),
      el('span', { className: 'ld-mod-role', text: 'Moderator' }),
      live,
      status.element,
    ]),
    el('div', { className: 'ld-mod-body' }, [panel.element, el('aside', { className: 'ld-mod-side' }, [feedback.element])]),
  ]),
);

const gate = new SequenceGate();
function receive(message: ServerMessage): void {
  panel.receive(message);
  feedback.receive(message);
  if (message.type === 'welcome') {
    gate.reset(message.seq);
    live.textContent = `Live: slide ${slideRefLabel(message.deck)}`;
  } else if (message.type === 'deck' && gate.accept(message.seq)) {
    live.textContent = `Live: slide ${slideRefLabel(message.state)}`;
  }
}

const connection = new Connection({
  hello: () => ({ type: 'hello', v: PROTOCOL_VERSION, role: 'moderator', talk, ...(key ? { key } : {}) }),
  onMessage: receive,
  onStatus: (s) => status.set(s),
  onFatal: () => {
    banner.hidden = false;
    banner.textContent = badLinkMessage('Moderator', key);
  },
});
connection.start();
