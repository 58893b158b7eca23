import { PROTOCOL_VERSION, type ServerMessage } from '../../protocol/messages.ts';
import { Connection, type ConnectionStatus } from '../connection.ts';
import { DeckDriver, readState, type RevealDeck } from '../deck-state.ts';
import { DesyncWatch } from '../desync.ts';
import { el } from '../dom.ts';
import { SequenceGate } from '../sequence.ts';
import { readStructure } from '../structure.ts';
import { createTopics, type TopicsClient } from '../topics/api.ts';
import type { Role } from '../../protocol/messages.ts';
import { liveDeckTarget } from './config.ts';

const LABELS: Record<ConnectionStatus, string> = { connecting: 'connecting…', connected: 'live', disconnected: 'reconnecting…' };

/**
 * A small badge in the corner of the hosted deck (styled through the CSSOM, which a strict CSP
 * on the hosting page still allows), and, for the presenting deck, the same loud banners as
 * the console when phones are not where this deck is.
 */
function mountBadge(role: 'presenting' | 'following') {
  const badge = el('div', { className: 'livedeck-status', attrs: { role: 'status' } });
  Object.assign(badge.style, {
    position: 'fixed', left: '8px', bottom: '8px', zIndex: '1000', padding: '3px 8px', borderRadius: '10px',
    font: '12px/1.4 system-ui, sans-serif', background: 'rgba(0,0,0,.6)', color: '#fff', pointerEvents: 'none',
  });
  const banners = el('div', { className: 'livedeck-alerts' });
  Object.assign(banners.style, { position: 'fixed', left: '0', right: '0', top: '0', zIndex: '1001', pointerEvents: 'none' });
  const refusal = el('div', { className: 'livedeck-refusal', attrs: { role: 'alert', hidden: '' } });
  const mismatch = el('div', { className: 'livedeck-mismatch', attrs: { role: 'alert', hidden: '' } });
  for (const [node, background] of [[refusal, '#c0392b'], [mismatch, '#7a1f16']] as const) {
    Object.assign(node.style, { background, color: '#fff', padding: '10px 14px', font: '600 18px/1.3 system-ui, sans-serif' });
  }
  banners.append(refusal, mismatch);
  document.body.append(badge, banners);
  let status: ConnectionStatus = 'connecting';
  let alert: string | null = null;
  const show = () => {
    badge.dataset.status = status;
    badge.textContent = `livedeck · ${role} · ${alert ?? LABELS[status]}`;
    badge.style.background = alert || status === 'disconnected' ? '#c0392b' : 'rgba(0,0,0,.6)';
  };
  show();
  return {
    refusal,
    mismatch,
    set(next: ConnectionStatus) {
      status = next;
      show();
    },
    alert(text: string | null) {
      alert = text;
      show();
    },
  };
}

/**
 * The reveal.js plugin object (`{ id, init(deck) }`), one per page. It is also the page's
 * `LiveDeck`, so the deck's scripts find the topics API (docs/topics.md) on it as on livedeck's own pages.
 */
export function createLiveDeck(scriptSrc: string | null) {
  let role: Role | null = null;
  const topics = createTopics(() => role);
  const { api } = topics;
  return {
    id: 'livedeck',
    get role() {
      return api.role;
    },
    publish: api.publish,
    subscribe: api.subscribe,
    setText: api.setText,
    init(deck: RevealDeck): void {
      const target = liveDeckTarget((deck.getConfig() as Record<string, unknown>).livedeck, scriptSrc, location.hash);
      if ('error' in target) {
        console.error(target.error);
        return;
      }
      // The key has been read; out of the address bar it cannot end up in a screenshot or a shared link.
      if (/(?:^#|&)key=/.test(location.hash)) history.replaceState(history.state, '', location.pathname + location.search);
      role = target.key ? 'presenter' : 'screen';
      const start = () => connect(deck, target.socket, target.talk, target.key, topics);
      if (deck.isReady()) start();
      else deck.on('ready', start);
    },
  };
}

function connect(deck: RevealDeck, url: string, talk: string, key: string | null, topics: TopicsClient): void {
  const badge = mountBadge(key ? 'presenting' : 'following');
  const driver = new DeckDriver(deck);
  const gate = new SequenceGate();
  const desync = new DesyncWatch({ refusal: badge.refusal, mismatch: badge.mismatch, status: badge });
  let myConnection = '';
  let unsent = false;

  if (key) {
    driver.onUserMove((state) => {
      unsent = !connection.send({ type: 'goto', state });
    });
  }

  const receive = (message: ServerMessage): void => {
    topics.receive(message);
    switch (message.type) {
      case 'welcome':
        gate.reset(message.seq);
        myConnection = message.connection;
        if (key) desync.welcome(message.talk, message.deck, readStructure(deck));
        if (key && unsent) unsent = !connection.send({ type: 'goto', state: readState(deck) });
        else driver.apply(message.deck);
        break;
      case 'deck':
        if (!gate.accept(message.seq)) return;
        if (key) desync.accepted(message.state);
        // A presenting deck already shows its own moves; applying their echo could step it back mid-burst.
        if (message.origin !== myConnection) driver.apply(message.state);
        break;
      case 'error':
        console.warn(`livedeck: ${message.code}: ${message.message}`);
        if (key && message.ref === 'goto') desync.refused(message);
        break;
      default:
        break;
    }
  };

  const connection = new Connection({
    url,
    hello: () => ({ type: 'hello', v: PROTOCOL_VERSION, role: key ? 'presenter' : 'screen', talk, ...(key ? { key } : {}) }),
    onMessage: receive,
    onStatus: (s) => badge.set(s),
    onFatal: (reason) => badge.alert(key ? `refused (${reason}): check the presenter link` : `refused (${reason}): check the talk code`),
  });
  topics.connect((m) => connection.send(m));
  connection.start();
}
