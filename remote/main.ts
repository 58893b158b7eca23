/**
 * The phone remote: paired from the console's QR code, it moves the deck for everyone with big
 * Prev/Next buttons and shows the current slide, its title and notes, and the talk timer the
 * server holds (the same time the console shows). Unpaired from the console, it stops at once.
 */
import 'reveal.js/reset.css';
import 'reveal.js/reveal.css';
import './remote.css';
import '../presenter/console-layout.css';
import { PROTOCOL_VERSION, type DeckState, type ServerMessage } from '../protocol/messages.ts';
import { Connection } from '../client/connection.ts';
import { createDeck } from '../client/deck.ts';
import { DeckDriver, readState, slideLabel } from '../client/deck-state.ts';
import { el } from '../client/dom.ts';
import { pageInfo } from '../client/page.ts';
import { pageRevealSetup } from '../client/reveal-setup.ts';
import { SequenceGate } from '../client/sequence.ts';
import { statusDot } from '../client/status.ts';
import { mountTimerPanel } from '../presenter/timer-panel.ts';
import { mountNotSynced } from '../client/not-synced-banner.ts';
import { forgetCredential, pairWith, storedCredential, takePairingToken } from './credential.ts';

const { talk } = pageInfo();
const original = document.querySelector<HTMLElement>('.reveal')!;
const status = statusDot();
const title = el('div', { className: 'ld-remote-title', text: '' });
const position = el('div', { className: 'ld-remote-position' });
const notes = el('div', { className: 'ld-remote-notes', attrs: { 'aria-live': 'polite', 'aria-label': 'Speaker notes' } });
const prevBtn = el('button', { className: 'ld-remote-nav', text: '◀ Prev', attrs: { type: 'button', 'aria-label': 'Previous' } });
const nextBtn = el('button', { className: 'ld-remote-nav ld-remote-next', text: 'Next ▶', attrs: { type: 'button', 'aria-label': 'Next' } });
const message = el('div', { className: 'ld-remote-message', attrs: { hidden: '', role: 'alert' } });
const timerSlot = el('div', { className: 'ld-remote-timer' });
const slide = el('div', { className: 'ld-remote-slide' }, [original]);
document.body.append(
  el('main', { className: 'ld-remote-page' }, [
    el('header', { className: 'ld-remote-head' }, [status.element, position]),
    message,
    title,
    timerSlot,
    slide,
    notes,
    el('nav', { className: 'ld-remote-buttons' }, [prevBtn, nextBtn]),
  ]),
);

function stop(text: string): void {
  message.hidden = false;
  message.textContent = text;
  prevBtn.disabled = true;
  nextBtn.disabled = true;
}

const token = takePairingToken();
let credential = storedCredential(talk);
if (token) {
  const outcome = await pairWith(talk, token);
  if (outcome.ok) credential = outcome.credential;
  else if (!credential) stop(outcome.message);
}

if (!credential) {
  if (message.hidden) stop('This phone is not paired. On the console, press "Phone remote" and scan the QR code.');
} else {
  await run(credential);
}

async function run(key: string): Promise<void> {
  const setup = pageRevealSetup();
  const deck = await createDeck(
    original,
    { defaults: {}, forced: { embedded: true, controls: false, progress: false, keyboard: false, touch: false, autoSlide: 0 } },
    setup,
    setup.plugins.filter((p) => p === 'highlight' || p === 'math'),
  );
  const driver = new DeckDriver(deck);
  const gate = new SequenceGate();
  let speakerNotes: Record<string, string> = {};
  let myConnection = '';

  const render = (state: DeckState): void => {
    position.textContent = `Slide ${slideLabel(state)} · ${deck.getSlidePastCount() + 1} of ${deck.getTotalSlides()}`;
    const heading = deck.getCurrentSlide()?.querySelector('h1, h2, h3, h4');
    title.textContent = heading?.textContent?.trim() || `Slide ${slideLabel(state)}`;
    const text = speakerNotes[`${state.indexh}/${state.indexv}`] ?? '';
    notes.classList.toggle('ld-empty', !text);
    notes.textContent = text || 'No notes for this slide.';
  };
  driver.onUserMove((state) => {
    render(state);
    connection.send({ type: 'goto', state });
  });
  prevBtn.addEventListener('click', () => deck.prev());
  nextBtn.addEventListener('click', () => deck.next());

  const timer = mountTimerPanel({ deck, send: (m) => connection.send(m) });
  timerSlot.append(timer.element);
  const notSynced = mountNotSynced({ position: () => readState(deck), send: (m) => connection.send(m) });
  message.after(notSynced.element);

  const receive = (m: ServerMessage): void => {
    timer.receive(m);
    if (m.type !== 'deck') notSynced.watch.receive(m);
    switch (m.type) {
      case 'welcome':
        gate.reset(m.seq);
        myConnection = m.connection;
        speakerNotes = m.notes ?? {};
        // A position the server did not store yet wins over its older one.
        if (notSynced.watch.pending()) connection.send({ type: 'goto', state: readState(deck) });
        else driver.apply(m.deck);
        render(readState(deck));
        break;
      case 'deck':
        if (!gate.accept(m.seq)) return;
        notSynced.watch.receive(m);
        if (m.origin !== myConnection) {
          driver.apply(m.state);
          render(readState(deck));
        }
        break;
      case 'error':
        if (m.code === 'revoked') {
          forgetCredential(talk);
          stop('This phone was unpaired on the console. To use it again, scan a new code there.');
        }
        break;
      default:
        break;
    }
  };

  const connection = new Connection({
    hello: () => ({ type: 'hello', v: PROTOCOL_VERSION, role: 'presenter', talk, key }),
    onMessage: receive,
    onStatus: (s) => status.set(s),
    onFatal: () => {
      forgetCredential(talk);
      if (message.hidden) stop('This phone is no longer paired with the talk. On the console, press "Phone remote" and scan the new code.');
    },
  });
  connection.start();
}
