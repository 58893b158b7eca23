/**
 * The presenter console: current and next slide, notes, the server-held timer with pacing,
 * clock, audience count, questions, polls, join link and QR, and phone-remote pairing. The key
 * comes from the URL fragment, which never reaches the server's logs. `.ld-toolbar` in the
 * header is where small controls mount (append a button to it); the page never scrolls.
 */
// reveal.js's reset before its styles and the theme, as reveal-md's page and reveal.js's demo.html load it:
// a theme that leaves h3 or inline code unsized gets reveal.js's sizes, not the browser's.
import 'reveal.js/reset.css';
import 'reveal.js/reveal.css';
import './presenter.css';
import './console-layout.css';
import { PROTOCOL_VERSION, type DeckState, type ServerMessage } from '../protocol/messages.ts';
import { Connection } from '../client/connection.ts';
import { mountSlowCount } from '../client/transport/slow-count.ts';
import { createDeck } from '../client/deck.ts';
import { DeckDriver, readState, sameState, slideLabel, type RevealDeck } from '../client/deck-state.ts';
import { el } from '../client/dom.ts';
import { pageInfo } from '../client/page.ts';
import { pageRevealSetup, runDeckScripts } from '../client/reveal-setup.ts';
import { readStructure } from '../client/structure.ts';
import { DesyncWatch } from '../client/desync.ts';
import { badLinkMessage, staffKey } from '../client/staff-link.ts';
import { SequenceGate } from '../client/sequence.ts';
import { statusDot } from '../client/status.ts';
import { keyAction, type KeyAction } from './keys.ts';
import { mountStaffPanel } from '../client/interaction/staff-panel.ts';
import { installTopics } from '../client/topics/api.ts';
import { mountConsoleFeedback } from '../client/polls/console.ts';
import { mountLayoutSwitch } from './layout-switch.ts';
import { mountRemotePairing } from './remote-pairing.ts';
import { mountTimerPanel } from './timer-panel.ts';
import { mountLiveConsole } from '../client/live/console.ts';
import { mountNotSynced } from '../client/not-synced-banner.ts';

const { talk, joinUrl } = pageInfo();
const key = staffKey();

/* ---------- layout ---------- */
const original = document.querySelector<HTMLElement>('.reveal')!;
const upcomingEl = original.cloneNode(true) as HTMLElement;

const status = statusDot();
const audienceCount = el('span', { className: 'ld-count', text: '0' });
const clock = el('span', { className: 'ld-clock' });
const timerSlot = el('span', { className: 'ld-timer-slot' });
const toolbar = el('div', { className: 'ld-toolbar', attrs: { role: 'toolbar', 'aria-label': 'Console tools' } });
const position = el('span', { className: 'ld-position' });
const notes = el('div', { className: 'ld-notes-text', attrs: { 'aria-live': 'polite' } });
const prevBtn = el('button', { className: 'ld-nav', text: '◀ Prev', attrs: { type: 'button', 'aria-label': 'Previous' } });
const nextBtn = el('button', { className: 'ld-nav ld-nav-next', text: 'Next ▶', attrs: { type: 'button', 'aria-label': 'Next' } });
const banner = el('div', { className: 'ld-banner', attrs: { hidden: '', role: 'alert' } });
const refusal = el('div', { className: 'ld-refusal', attrs: { hidden: '', role: 'alert' } });
const mismatch = el('div', { className: 'ld-mismatch', attrs: { hidden: '', role: 'alert' } });

const header = el('header', { className: 'ld-header' }, [
  el('h1', { className: 'ld-title', text: document.title.replace(/^Presenter · /, '') }),
  status.element,
  el('span', { className: 'ld-audience', attrs: { title: 'People following on their phones' } }, [
    audienceCount,
    el('span', { className: 'ld-unit', text: ' following' }),
  ]),
  clock,
  toolbar,
]);
const slowCount = mountSlowCount(audienceCount);
const current = el('section', { className: 'ld-current', attrs: { 'aria-label': 'Current slide' } }, [
  original,
  el('div', { className: 'ld-alerts' }, [refusal, mismatch]),
]);
const upcoming = el('section', { className: 'ld-upcoming', attrs: { 'aria-label': 'Next slide' } }, [
  el('h2', { text: 'Next' }),
  el('div', { className: 'ld-upcoming-frame' }, [upcomingEl, el('div', { className: 'ld-upcoming-end', text: 'End of talk', attrs: { hidden: '' } })]),
]);
const notesPanel = el('section', { className: 'ld-notes', attrs: { 'aria-label': 'Speaker notes' } }, [
  el('h2', { text: 'Notes' }),
  notes,
]);
const join = el('section', { className: 'ld-join', attrs: { 'aria-label': 'Join' } }, [
  el('img', { attrs: { src: '/qr.svg', alt: `QR code for ${joinUrl}`, width: '120', height: '120' } }),
  el('div', {}, [
    el('div', { className: 'ld-join-url', text: joinUrl }),
    el('div', { className: 'ld-join-code', text: `Code ${talk.slice(0, 3)}-${talk.slice(3)}` }),
  ]),
]);
// A big QR code on demand: hold the laptop up, or mirror it to the projector for a moment.
const joinButton = el('button', { className: 'ld-btn', text: 'Join QR', attrs: { type: 'button', 'aria-haspopup': 'dialog' } });
const joinOverlay = el('div', { className: 'ld-join-overlay', attrs: { hidden: '', role: 'dialog', 'aria-label': 'Join this talk' } }, [
  el('img', { attrs: { src: '/qr.svg', alt: `QR code for ${joinUrl}` } }),
  el('div', { className: 'ld-join-overlay-url', text: joinUrl }),
  el('div', { className: 'ld-join-overlay-code', text: `Code ${talk.slice(0, 3)}-${talk.slice(3)}` }),
  el('div', { className: 'ld-join-overlay-hint', text: 'Click anywhere to close' }),
]);
joinButton.addEventListener('click', () => {
  joinOverlay.hidden = false;
});
joinOverlay.addEventListener('click', () => {
  joinOverlay.hidden = true;
});
toolbar.append(joinButton);
document.body.append(joinOverlay);
const footer = el('footer', { className: 'ld-footer' }, [prevBtn, el('div', { className: 'ld-footer-middle' }, [position, timerSlot]), nextBtn]);
const consoleRoot = el('div', { className: 'ld-console' }, [header, el('div', { className: 'ld-main' }, [current, el('div', { className: 'ld-below' }, [upcoming, notesPanel])]), el('aside', { className: 'ld-side' }, [join]), footer]);
toolbar.prepend(mountLayoutSwitch(consoleRoot));
document.body.append(banner, consoleRoot);

/* ---------- decks ---------- */
// Before the first await: the deck's inline scripts look for LiveDeck by DOMContentLoaded.
const topics = installTopics('presenter');
const setup = pageRevealSetup();
// The console's deck may auto-slide if the deck asks (phones follow it); the preview only shows.
const deck = await createDeck(original, { defaults: { progress: true }, forced: { embedded: true, controls: false, keyboard: false, touch: true } }, setup);
const preview = await createDeck(
  upcomingEl,
  { defaults: {}, forced: { embedded: true, controls: false, progress: false, keyboard: false, touch: false, autoSlide: 0 } },
  setup,
  // Only the plugins that change what a slide looks like (or its fragment steps).
  setup.plugins.filter((p) => p === 'highlight' || p === 'math'),
);
void runDeckScripts(setup, deck);
const desync = new DesyncWatch({ refusal, mismatch, status });
const notSynced = mountNotSynced({ position: () => readState(deck), send: (m) => connection.send(m) });
refusal.before(notSynced.element);
const driver = new DeckDriver(deck);
const previewDriver = new DeckDriver(preview);
const gate = new SequenceGate();
let myConnection = '';
let speakerNotes: Record<string, string> = {};
let unsent = false;

function render(state: DeckState): void {
  // The upcoming view shows what the next press will reveal: the next fragment or slide.
  previewDriver.apply({ ...state, paused: false, overview: false });
  preview.next();
  // On the last step there is no next: say the talk ends instead of showing this slide again.
  const atEnd = sameState(readState(preview), { ...state, paused: false, overview: false });
  upcoming.classList.toggle('ld-at-end', atEnd);
  upcoming.querySelector<HTMLElement>('.ld-upcoming-end')!.hidden = !atEnd;
  position.textContent = `Slide ${slideLabel(state)} · ${deck.getSlidePastCount() + 1} of ${deck.getTotalSlides()}${state.overview ? ' · overview' : ''}${state.paused ? ' · paused' : ''}`;
  // Always the notes of the slide this console shows, never the last one the server accepted.
  const text = speakerNotes[`${state.indexh}/${state.indexv}`] ?? '';
  notes.classList.toggle('ld-empty', !text);
  notes.textContent = text || 'No notes for this slide.';
  if (desync.doubtful(state)) {
    notes.prepend(el('div', { className: 'ld-notes-doubt', text: 'These notes may belong to another slide: this deck differs from the phones\' (see the warning on the slide).' }));
  }
}

function publish(state: DeckState): void {
  render(state);
  unsent = !connection.send({ type: 'goto', state });
}

driver.onUserMove(publish);

const ACTIONS: Record<KeyAction, (d: RevealDeck) => void> = {
  next: (d) => d.next(),
  prev: (d) => d.prev(),
  left: (d) => d.left(),
  right: (d) => d.right(),
  up: (d) => d.up(),
  down: (d) => d.down(),
  first: (d) => d.slide(0, 0),
  last: (d) => d.slide(Number.MAX_SAFE_INTEGER),
  overview: (d) => d.toggleOverview(),
  pause: (d) => d.togglePause(),
};

document.addEventListener('keydown', (event) => {
  const target = event.target as HTMLElement | null;
  if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
  const action = keyAction(event);
  if (!action) return;
  event.preventDefault();
  ACTIONS[action](deck);
});
prevBtn.addEventListener('click', () => deck.prev());
nextBtn.addEventListener('click', () => deck.next());

/* ---------- timer (held by the server), pacing and clock ---------- */
const timer = mountTimerPanel({ deck, send: (m) => connection.send(m) });
timerSlot.append(timer.element);
function tickClock(): void {
  clock.textContent = new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
setInterval(tickClock, 1000);
tickClock();

/* ---------- phone as a remote ---------- */
const pairing = mountRemotePairing({ talk, origin: new URL(joinUrl, location.href).origin, send: (m) => connection.send(m) });
toolbar.append(pairing.button);
document.body.append(pairing.dialog);

/* ---------- questions and chat ---------- */
const interaction = mountStaffPanel({ talk, key, send: (m) => connection.send(m), jump: (s) => deck.slide(s.indexh, s.indexv, s.indexf) });
document.querySelector('.ld-side')?.insertBefore(interaction.element, join);

/* ---------- polls, reactions, pace ---------- */
const feedback = mountConsoleFeedback({ send: (m) => connection.send(m) });
document.querySelector('.ld-side')?.insertBefore(feedback.element, join);

/* ---------- pointer, pen, media, chat wall ---------- */
const live = mountLiveConsole({ deck, send: (m) => connection.send(m) });
// Right under the slide they draw on: the footer keeps its room for Prev, the timer and Next.
current.after(live.element);

/* ---------- the link ---------- */
function receive(message: ServerMessage): void {
  topics.receive(message);
  interaction.receive(message);
  feedback.receive(message);
  timer.receive(message);
  pairing.receive(message);
  live.receive(message);
  // A deck message only once the gate took it: a stale one says nothing about what is stored.
  if (message.type !== 'deck') notSynced.watch.receive(message);
  switch (message.type) {
    case 'welcome': {
      gate.reset(message.seq);
      myConnection = message.connection;
      speakerNotes = message.notes ?? {};
      audienceCount.textContent = String(message.audience);
      desync.welcome(message.talk, message.deck, readStructure(deck));
      if (unsent || notSynced.watch.pending()) {
        // Moves made while the link was down (or not stored) win: the speaker is where they are now.
        unsent = !connection.send({ type: 'goto', state: readState(deck) });
      } else {
        driver.apply(message.deck);
      }
      render(readState(deck));
      break;
    }
    case 'deck':
      if (!gate.accept(message.seq)) return;
      desync.accepted(message.state);
      notSynced.watch.receive(message);
      // Our own moves are already on screen; applying their echo could step back mid-burst.
      if (message.origin !== myConnection) {
        driver.apply(message.state);
        render(readState(deck));
      }
      break;
    case 'presence':
      audienceCount.textContent = String(message.audience);
      slowCount.set(message.slow ?? 0);
      break;
    case 'error':
      console.warn(`livedeck: ${message.code}: ${message.message}`);
      if (message.ref === 'goto') desync.refused(message);
      break;
    default:
      break;
  }
}

const connection = new Connection({
  hello: () => ({ type: 'hello', v: PROTOCOL_VERSION, role: 'presenter', talk, ...(key ? { key } : {}) }),
  onMessage: receive,
  onStatus: (s) => status.set(s),
  onFatal: () => {
    banner.hidden = false;
    banner.textContent = badLinkMessage('Presenter', key);
  },
});
topics.connect((m) => connection.send(m));
connection.start();
render(readState(deck));
