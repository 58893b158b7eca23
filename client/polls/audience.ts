/**
 * Polls, reactions and pace on the phone. Votes go through the outbox (kept until acked, resent
 * after a reconnect); reactions and pace are fire-and-forget. The page hands every server message
 * to `receive` and gives a `send` that returns false while the link is down.
 */
import './polls.css';
import type { ClientMessage, ServerMessage } from '../../protocol/messages.ts';
import { REACTION_FACES, REACTIONS, type BallotMessage, type BallotValue, type PaceSignal, type PollView } from '../../protocol/polls.ts';
import { el } from '../dom.ts';
import { Outbox } from '../outbox.ts';
import { randomId } from '../participant.ts';
import { renderBallot } from './ballot.ts';
import { renderResults } from './chart.ts';
import { fillPlaceholders, resultsBody } from './placeholders.ts';
import { PollStore } from './store.ts';
import type { QuizNameMessage } from '../../protocol/quiz.ts';
import { renderQuizCard } from './quiz-phone.ts';
import { QuizStore, startCountdowns } from './quiz-store.ts';

export interface AudienceFeedbackOptions {
  talk: string;
  send(message: ClientMessage): boolean;
}

/** Client-side spacing of reactions, under the server's limit so a happy thumb is never refused. */
const REACTION_GAP_MS = 350;

export function mountAudienceFeedback(options: AudienceFeedbackOptions): { receive(message: ServerMessage): void } {
  const store = new PollStore();
  /** Ballots the server has stored (the welcome's, then each acked one): a refusal never hides them. */
  const stored = new Map<string, BallotValue>();
  const outbox = new Outbox<BallotMessage>({ storageKey: `livedeck.ballots.${options.talk}`, transport: (m) => options.send(m) });
  const quiz = new QuizStore();
  const names = new Outbox<QuizNameMessage>({ storageKey: `livedeck.quizName.${options.talk}`, transport: (m) => options.send(m) });
  const nickKey = `livedeck.quizNick.${options.talk}`;
  let nickname = readNickname(nickKey);
  startCountdowns(quiz);
  let liveSlide = { h: 0, v: 0 };
  /**
   * The person's own Hide/Vote choice, kept until the live slide changes. Without one, the panel
   * is open while a poll on the live slide (or one created live) is open, and folds to a small
   * "Vote" pill when the presenter has moved on, so an old poll never hides half the slide.
   */
  let chosenCollapsed: boolean | null = null;
  let collapsed = false;

  /* ---------- the poll panel ---------- */
  const panelBody = el('div', { className: 'ld-panel-body' });
  const toggle = el('button', { className: 'ld-panel-toggle', text: 'Hide', attrs: { type: 'button', 'aria-expanded': 'true' } });
  const panel = el('section', { className: 'ld-poll-panel', attrs: { 'aria-label': 'Live poll', hidden: '' } }, [
    el('div', { className: 'ld-panel-head' }, [el('span', { className: 'ld-panel-title', text: 'Live poll' }), toggle]),
    panelBody,
  ]);
  toggle.addEventListener('click', () => {
    chosenCollapsed = !collapsed;
    render();
  });

  function vote(view: PollView, value: BallotValue): void {
    store.mine.set(view.poll.id, value);
    outbox.send({ type: 'ballot', poll: view.poll.id, key: randomId(), value });
    render();
  }

  function chooseName(name: string): void {
    nickname = name;
    writeNickname(nickKey, name);
    // An empty choice plays as a guest: the server names them "Player N".
    if (name !== '') names.send({ type: 'quizName', key: randomId(), name });
    render();
  }

  function pollCard(view: PollView): HTMLElement {
    const mine = store.mine.get(view.poll.id);
    if (view.poll.type === 'quiz') {
      return el('article', { className: 'ld-poll-card ld-quiz-card', attrs: { 'data-poll-id': view.poll.id } }, [
        el('h2', { className: 'ld-poll-question', text: view.poll.question }),
        renderQuizCard(view, { quiz, mine, name: nickname, chooseName, vote: (value) => vote(view, value) }),
      ]);
    }
    const card = el('article', { className: 'ld-poll-card', attrs: { 'data-poll-id': view.poll.id } }, [
      el('h2', { className: 'ld-poll-question', text: view.poll.question }),
      renderBallot(view, mine, (value) => vote(view, value)),
    ]);
    if (mine) card.append(el('p', { className: 'ld-ballot-saved', text: 'Answer sent. You can change it while the poll is open.' }));
    if (view.results) card.append(renderResults(view, { answers: 5 }));
    return card;
  }

  function render(): void {
    // The poll on the live slide first, then any other open poll; a closed quiz question on the
    // live slide stays, to tell the phone whether it was right.
    const open = [...store.open(), ...store.all().filter((v) => v.poll.type === 'quiz' && v.status === 'closed' && onLive(v) === 1)].sort((a, b) => onLive(b) - onLive(a));
    collapsed = chosenCollapsed ?? !open.some((view) => onLive(view) === 1 || view.poll.slide === null);
    panel.hidden = open.length === 0;
    panel.classList.toggle('ld-collapsed', collapsed);
    toggle.textContent = collapsed ? `Vote (${open.length})` : 'Hide';
    panel.querySelector('.ld-panel-title')!.textContent = open.some((v) => v.poll.type === 'quiz') ? 'Quiz' : 'Live poll';
    toggle.setAttribute('aria-expanded', String(!collapsed));
    // Re-rendering a card while someone types would eat their text: leave a focused form alone.
    const typing = (panelBody.contains(document.activeElement) && document.activeElement?.matches('input, textarea')) || panelBody.querySelector('.ld-dragging') !== null;
    if (!typing) panelBody.replaceChildren(...(collapsed ? [] : open.map(pollCard)));
    makeRoomForSheet();
    fillPlaceholders(store, (view) => [
      ...(view.status === 'open' ? [el('p', { className: 'ld-poll-where', text: store.mine.has(view.poll.id) ? 'Answer sent ✓' : 'Vote below ↓' })] : []),
      ...resultsBody(view),
    ]);
  }

  /**
   * The slide shrinks to the space the open sheet leaves (audience/audience.css reads these): the
   * CSS decides where the sheet goes, below the slide or (landscape phones) beside it, so measure
   * what it did. Only a change re-lays out reveal.js, which sizes the slide on window resize.
   */
  let room = '';
  function makeRoomForSheet(): void {
    const box = panel.hidden || collapsed ? null : panel.getBoundingClientRect();
    const beside = box !== null && box.top <= 0;
    const height = box && !beside ? `${Math.ceil(innerHeight - box.top)}px` : '0px';
    // Beside, the sheet stands left of the control column, whose width the layout already keeps.
    const width = box && beside ? `${Math.ceil(box.width)}px` : '0px';
    if (`${height} ${width}` === room) return;
    room = `${height} ${width}`;
    document.documentElement.style.setProperty('--ld-poll-h', height);
    document.documentElement.style.setProperty('--ld-poll-w', width);
    window.dispatchEvent(new Event('resize'));
  }

  function onLive(view: PollView): number {
    return view.poll.slide?.h === liveSlide.h && view.poll.slide.v === liveSlide.v ? 1 : 0;
  }

  /* ---------- reactions and pace ---------- */
  let lastReaction = 0;
  const reactions = el('div', { className: 'ld-react-row', attrs: { role: 'group', 'aria-label': 'React' } });
  for (const reaction of REACTIONS) {
    const face = REACTION_FACES[reaction];
    const button = el('button', { className: 'ld-react', attrs: { type: 'button', 'aria-label': face.label, title: face.label, 'data-reaction': reaction } }, [
      el('span', { className: 'ld-react-emoji', text: face.emoji, attrs: { 'aria-hidden': 'true' } }),
      el('span', { className: 'ld-react-label', text: face.label }),
    ]);
    button.addEventListener('click', () => {
      const now = Date.now();
      if (now - lastReaction < REACTION_GAP_MS) return;
      lastReaction = now;
      options.send({ type: 'react', reaction });
      button.classList.remove('ld-pop');
      void button.offsetWidth;
      button.classList.add('ld-pop');
    });
    reactions.append(button);
  }
  let pace: PaceSignal = 'ok';
  const paceButtons = (['slow', 'fast'] as const).map((signal) => {
    const button = el('button', {
      className: 'ld-pace',
      text: signal === 'fast' ? 'Too fast' : 'Lost me / too slow',
      attrs: { type: 'button', 'aria-pressed': 'false', 'data-signal': signal },
    });
    button.addEventListener('click', () => {
      pace = pace === signal ? 'ok' : signal;
      options.send({ type: 'pace', signal: pace });
      for (const b of paceButtons) b.setAttribute('aria-pressed', String(b.dataset.signal === pace));
    });
    return button;
  });
  const trayToggle = el('button', { className: 'ld-tray-toggle', text: 'React', attrs: { type: 'button', 'aria-expanded': 'false' } });
  const tray = el('div', { className: 'ld-tray', attrs: { hidden: '' } }, [reactions, el('div', { className: 'ld-pace-row' }, paceButtons)]);
  trayToggle.addEventListener('click', () => {
    tray.hidden = !tray.hidden;
    trayToggle.setAttribute('aria-expanded', String(!tray.hidden));
    trayToggle.textContent = tray.hidden ? 'React' : 'Close';
  });

  const feedbackBox = el('div', { className: 'ld-feedback' }, [tray, trayToggle]);
  document.body.append(panel, feedbackBox);
  // Turning the phone or new results change the sheet's size; the slide follows.
  new ResizeObserver(() => makeRoomForSheet()).observe(panel);

  return {
    receive(message) {
      switch (message.type) {
        case 'welcome':
          liveSlide = { h: message.deck.indexh, v: message.deck.indexv };
          store.apply(message);
          stored.clear();
          for (const [poll, value] of store.mine) stored.set(poll, value);
          // Ballots not yet acknowledged go again; the server counts a (participant, key) once.
          for (const pending of outbox.pending()) store.mine.set(pending.poll, pending.value);
          names.flush();
          outbox.flush();
          render();
          break;
        case 'resumed':
          names.flush();
          outbox.flush();
          break;
        case 'deck':
          if (message.state.indexh !== liveSlide.h || message.state.indexv !== liveSlide.v) chosenCollapsed = null;
          liveSlide = { h: message.state.indexh, v: message.state.indexv };
          render();
          break;
        case 'ack': {
          const sent = outbox.pending().find((p) => p.key === message.key);
          if (sent) stored.set(sent.poll, sent.value);
          outbox.ack(message.key);
          names.ack(message.key);
          break;
        }
        case 'error': {
          // Not stored yet (cluster mode): kept, sent again, still shown as this phone's choice.
          if (message.code === 'unavailable') {
            outbox.error(message);
            names.error(message);
            break;
          }
          // An answer the clock refused was never counted: the card must not say "locked in".
          // An answer the server did store (acked, or in the welcome) stays shown.
          const late = message.code === 'quiz_time_up' ? outbox.pending().find((p) => p.key === message.key) : undefined;
          if (late) {
            const kept = stored.get(late.poll);
            if (kept) store.mine.set(late.poll, kept);
            else store.mine.delete(late.poll);
          }
          if (message.key && (outbox.reject(message.key) || names.reject(message.key))) render();
          break;
        }
        default:
          if (store.apply(message) || quiz.apply(message)) render();
      }
    },
  };
}

/** The nickname chosen for this talk's quizzes, kept for a reload; null before the first choice. */
function readNickname(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch (err) {
    // Storage can be off (private modes): the phone asks again after a reload, nothing worse.
    console.warn('livedeck: no localStorage for the quiz nickname', err);
    return null;
  }
}

function writeNickname(key: string, name: string): void {
  try {
    localStorage.setItem(key, name);
  } catch (err) {
    console.warn('livedeck: could not keep the quiz nickname', err);
  }
}
