/** The projector: the deck full screen, following the presenter, nothing else. */
// reveal.js's reset before its styles and the theme, as reveal-md's page and reveal.js's demo.html load it:
// a theme that leaves h3 or inline code unsized gets reveal.js's sizes, not the browser's.
import 'reveal.js/reset.css';
import 'reveal.js/reveal.css';
import './screen.css';
import { PROTOCOL_VERSION, type ServerMessage } from '../protocol/messages.ts';
import { Connection } from '../client/connection.ts';
import { createDeck } from '../client/deck.ts';
import { DeckDriver } from '../client/deck-state.ts';
import { pageInfo } from '../client/page.ts';
import { pageRevealSetup, runDeckScripts } from '../client/reveal-setup.ts';
import { SequenceGate } from '../client/sequence.ts';
import { mountHighlightCard } from '../client/interaction/highlight-card.ts';
import { mountScreenFeedback } from '../client/polls/screen.ts';
import { installTopics } from '../client/topics/api.ts';
import { mountLiveScreen } from '../client/live/screen.ts';

const { talk } = pageInfo();
// Before the first await: the deck's inline scripts look for LiveDeck by DOMContentLoaded.
const topics = installTopics('screen');
const setup = pageRevealSetup();
// The projector shows the deck as reveal.js would (its own controls, progress, size, transitions);
// it only follows, so it takes no input and never advances on its own.
const deck = await createDeck(
  document.querySelector<HTMLElement>('.reveal')!,
  { defaults: { controls: false, progress: true }, forced: { embedded: false, keyboard: false, touch: false, autoSlide: 0 } },
  setup,
);
void runDeckScripts(setup, deck);
const driver = new DeckDriver(deck);
const gate = new SequenceGate();

const highlight = mountHighlightCard();
const feedback = mountScreenFeedback(pageInfo().joinUrl);
const live = mountLiveScreen({ deck, joinUrl: pageInfo().joinUrl });

function receive(message: ServerMessage): void {
  highlight.receive(message);
  feedback.receive(message);
  topics.receive(message);
  live.receive(message);
  if (message.type === 'welcome') {
    gate.reset(message.seq);
    driver.apply(message.deck);
  } else if (message.type === 'deck' && gate.accept(message.seq)) {
    driver.apply(message.state);
  }
}

const connection = new Connection({
  hello: () => ({ type: 'hello', v: PROTOCOL_VERSION, role: 'screen', talk }),
  onMessage: receive,
  onStatus: (s) => document.body.setAttribute('data-status', s),
});
topics.connect((m) => connection.send(m));
connection.start();
