/**
 * The audience page (phones first): follows the presenter, lets people browse on their own,
 * and brings them back to the live slide in one tap.
 */
// reveal.js's reset before its styles and the theme, as reveal-md's page and reveal.js's demo.html load it:
// a theme that leaves h3 or inline code unsized gets reveal.js's sizes, not the browser's.
import 'reveal.js/reset.css';
import 'reveal.js/reveal.css';
import './audience.css';
import { PROTOCOL_VERSION, type DeckState, type ServerMessage } from '../protocol/messages.ts';
import { Connection } from '../client/connection.ts';
import { createDeck } from '../client/deck.ts';
import { DeckDriver, readState, slideLabel } from '../client/deck-state.ts';
import { pageRevealSetup, runDeckScripts } from '../client/reveal-setup.ts';
import { el } from '../client/dom.ts';
import { pageInfo } from '../client/page.ts';
import { participantId } from '../client/participant.ts';
import { SequenceGate } from '../client/sequence.ts';
import { statusDot } from '../client/status.ts';
import { keepScreenAwake } from '../client/wake-lock.ts';
import { loadFontsLater } from './fonts.ts';
import { mountAudiencePanel } from '../client/interaction/audience-panel.ts';
import { mountAudienceFeedback } from '../client/polls/audience.ts';
import { installTopics } from '../client/topics/api.ts';
import { mountSlideAnnouncer } from '../client/phone/announcer.ts';
import { aheadOf, remembered, saveLastState, type LogMark } from '../client/phone/last-state.ts';
import { keepForOffline } from '../client/phone/offline.ts';
import { mountRotateHint } from '../client/phone/rotate-hint.ts';
import { mountLiveAudience } from '../client/live/audience.ts';

const { talk } = pageInfo();
const participant = participantId();

// Before the first await: the deck's inline scripts look for LiveDeck by DOMContentLoaded.
const topics = installTopics('audience');
const setup = pageRevealSetup();
const deck = await createDeck(
  document.querySelector<HTMLElement>('.reveal')!,
  {
    defaults: { controls: true, controlsTutorial: false, progress: true },
    // Phones: fill the screen (the deck's design scales down), browse by touch, and never
    // advance on their own (the presenter's deck does that).
    // A phone that asks for reduced motion gets slides that change in place, whatever the deck's transition.
    forced: {
      embedded: false,
      margin: 0.04,
      touch: true,
      keyboard: true,
      autoSlide: 0,
      ...(matchMedia('(prefers-reduced-motion: reduce)').matches ? { transition: 'none', backgroundTransition: 'none' } : {}),
    },
  },
  setup,
);
void runDeckScripts(setup, deck);
loadFontsLater();
mountSlideAnnouncer(deck);
mountRotateHint(deck);
keepForOffline();
const driver = new DeckDriver(deck);
const gate = new SequenceGate();

const status = statusDot();
const liveLabel = el('span', { className: 'ld-live-where' });
const backToLive = el('button', { className: 'ld-back', attrs: { type: 'button', hidden: '' } }, [
  el('span', { text: 'Back to live' }),
  liveLabel,
]);
const bar = el('div', { className: 'ld-bar' }, [backToLive]);
document.body.append(el('div', { className: 'ld-status-corner' }, [status.element]), bar);

// Until the server answers (a reload with no network may be a long wait), the last slide this phone saw.
const kept = remembered(talk);
let live: DeckState | null = kept?.state ?? null;
/** The seq and epoch of `live`: a welcome from a node behind it must not move the phone back. */
let mark: LogMark | null = kept?.mark ?? null;
let following = true;
if (live) driver.apply(live);

function showLive(): void {
  if (live) liveLabel.textContent = ` · slide ${slideLabel(live)}`;
  backToLive.hidden = following;
}

function follow(): void {
  following = true;
  if (live) driver.apply(live);
  showLive();
}

driver.onUserMove(() => {
  // Any move of their own (swipe, tap, key) means the person is browsing on their own.
  following = false;
  showLive();
});
backToLive.addEventListener('click', follow);

const interaction = mountAudiencePanel({ talk, send: (m) => connection.send(m), where: () => readState(deck) });
const feedback = mountAudienceFeedback({ talk, send: (m) => connection.send(m) });
const liveTools = mountLiveAudience({ deck });

function receive(message: ServerMessage): void {
  interaction.receive(message);
  feedback.receive(message);
  topics.receive(message);
  liveTools.receive(message);
  switch (message.type) {
    case 'welcome': {
      const theirs: LogMark = message.epoch === undefined ? { seq: message.seq } : { seq: message.seq, epoch: message.epoch };
      // A cluster node a moment behind: keep the newer slide, and its moves up to ours are old news.
      if (mark && aheadOf(mark, theirs)) {
        gate.reset(mark.seq);
        break;
      }
      gate.reset(message.seq);
      live = message.deck;
      mark = theirs;
      saveLastState(talk, live, mark);
      if (following) driver.apply(live);
      showLive();
      break;
    }
    case 'deck':
      if (!gate.accept(message.seq)) return;
      live = message.state;
      mark = { ...mark, seq: message.seq };
      saveLastState(talk, live, mark);
      if (following) driver.apply(live);
      showLive();
      break;
    case 'error':
      console.warn(`livedeck: ${message.code}: ${message.message}`);
      break;
    default:
      break;
  }
}

const awake = keepScreenAwake();
const connection = new Connection({
  hello: () => ({ type: 'hello', v: PROTOCOL_VERSION, role: 'audience', talk, participant }),
  onMessage: receive,
  onStatus: (s) => status.set(s),
  onTransport: (kind) => status.transport(kind),
  // Refused for good (the talk is gone): nothing more to follow, so the screen may sleep.
  onFatal: () => awake.release(),
});
topics.connect((m) => connection.send(m));
connection.start();
