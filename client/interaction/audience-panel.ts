/**
 * The audience's questions and chat (phones first): a button opens a bottom sheet with two tabs,
 * which covers the lower part of the screen and leaves the slide above it live. Writes go
 * through the outbox, so a question typed in a tunnel is sent when the link is back.
 */
import './audience-panel.css';
import './qa-more.css';
import type { ClientMessage, ServerMessage } from '../../protocol/messages.ts';
import { QA_LIMITS, slideRefLabel, type AskMessage, type ChatSendMessage, type Question, type SlideRef, type UpvoteMessage } from '../../protocol/qa.ts';
import { MUTED_TEXT, type EditQuestionMessage, type WithdrawQuestionMessage } from '../../protocol/qa-more.ts';
import { el } from '../dom.ts';
import { Outbox } from '../outbox.ts';
import { randomId } from '../participant.ts';
import { counter, errorText, flash, scheduler, slideText, STATE_LABELS, timeLabel } from './common.ts';
import { InteractionModel, type Notice, type SortOrder } from './model.ts';

export interface AudiencePanelOptions {
  talk: string;
  send(message: ClientMessage): boolean;
  /** The slide the person is looking at now (may differ from live when browsing). */
  where(): SlideRef;
}

type Write = AskMessage | UpvoteMessage | ChatSendMessage | EditQuestionMessage | WithdrawQuestionMessage;
type Tab = 'questions' | 'chat';

const NAME_KEY = 'livedeck.name';

function loadName(): string {
  try {
    return localStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return '';
  }
}

function saveName(name: string): void {
  try {
    localStorage.setItem(NAME_KEY, name);
  } catch (err) {
    console.warn('livedeck: name not saved', err);
  }
}

export function mountAudiencePanel(options: AudiencePanelOptions): { receive(message: ServerMessage): void } {
  const model = new InteractionModel();
  const outbox = new Outbox<Write>({ storageKey: `livedeck.outbox.${options.talk}`, transport: (m) => options.send(m) });
  let tab: Tab = 'questions';
  let order: SortOrder = 'top';
  let open = false;
  let unseenChat = 0;
  /** The question whose text the ask box holds for editing, or null when it asks a new one. */
  let editing: Question | null = null;

  /* ---------- elements ---------- */
  const badge = el('span', { className: 'ld-ix-badge', attrs: { hidden: '' } });
  const launcher = el('button', { className: 'ld-ix-launch', attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'ld-ix-sheet' } }, [
    el('span', { text: 'Q&A · Chat' }),
    badge,
  ]);
  const spotText = el('span', { className: 'ld-ix-spot-text' });
  const spot = el('div', { className: 'ld-ix-spot', attrs: { hidden: '', role: 'status' } }, [el('span', { className: 'ld-ix-spot-label', text: 'On screen' }), spotText]);
  const toast = el('div', { className: 'ld-ix-toast', attrs: { hidden: '', role: 'status' } });

  const tabQuestions = el('button', { className: 'ld-ix-tab', text: 'Questions', attrs: { type: 'button', role: 'tab', 'aria-selected': 'true' } });
  const tabChat = el('button', { className: 'ld-ix-tab', text: 'Chat', attrs: { type: 'button', role: 'tab', 'aria-selected': 'false' } });
  const close = el('button', { className: 'ld-ix-close', text: '✕', attrs: { type: 'button', 'aria-label': 'Close' } });

  const nameInput = el('input', {
    className: 'ld-ix-name',
    attrs: { type: 'text', placeholder: 'Your name (optional)', autocomplete: 'nickname', 'aria-label': 'Your name', maxlength: String(QA_LIMITS.nameChars * 2) },
  });
  nameInput.value = loadName();
  const nameRow = el('div', { className: 'ld-ix-namerow' }, [nameInput]);

  const askText = el('textarea', { className: 'ld-ix-ask-text', attrs: { rows: '2', placeholder: 'Ask the speaker a question…', 'aria-label': 'Your question' } });
  const askButton = el('button', { className: 'ld-ix-primary', text: 'Ask', attrs: { type: 'submit' } });
  const anonymous = el('input', { attrs: { type: 'checkbox', className: 'ld-ix-anon' } });
  anonymous.className = 'ld-ix-anon';
  const askWhere = el('span', { className: 'ld-ix-where' });
  const askCounter = counter(askText, QA_LIMITS.questionChars, askButton);
  const editNote = el('div', { className: 'ld-ix-editing', attrs: { hidden: '' } });
  const editCancel = el('button', { className: 'ld-ix-link', text: 'Cancel', attrs: { type: 'button' } });
  const editLabel = el('span', { text: 'Editing your question' });
  editNote.append(editLabel, editCancel);
  const askForm = el('form', { className: 'ld-ix-compose' }, [
    editNote,
    askText,
    el('div', { className: 'ld-ix-compose-row' }, [
      el('label', { className: 'ld-ix-check' }, [anonymous, el('span', { text: 'Anonymous' })]),
      askWhere,
      askCounter.element,
      askButton,
    ]),
  ]);
  const sortTop = el('button', { className: 'ld-ix-sort', text: 'Top', attrs: { type: 'button', 'aria-pressed': 'true' } });
  const sortRecent = el('button', { className: 'ld-ix-sort', text: 'Recent', attrs: { type: 'button', 'aria-pressed': 'false' } });
  const modeNote = el('span', { className: 'ld-ix-mode', text: 'Questions are reviewed before they appear.', attrs: { hidden: '' } });
  const questionList = el('ol', { className: 'ld-ix-list ld-ix-questions', attrs: { 'aria-label': 'Questions' } });
  const questionsPane = el('section', { className: 'ld-ix-pane', attrs: { role: 'tabpanel', 'aria-label': 'Questions' } }, [
    askForm,
    el('div', { className: 'ld-ix-toolbar' }, [el('div', { className: 'ld-ix-sorts', attrs: { role: 'group', 'aria-label': 'Sort' } }, [sortTop, sortRecent]), modeNote]),
    questionList,
  ]);

  const chatList = el('ol', { className: 'ld-ix-list ld-ix-chat', attrs: { 'aria-label': 'Chat', 'aria-live': 'polite' } });
  const chatText = el('input', { className: 'ld-ix-chat-text', attrs: { type: 'text', placeholder: 'Say something to the room…', 'aria-label': 'Chat message', enterkeyhint: 'send' } });
  const chatButton = el('button', { className: 'ld-ix-primary', text: 'Send', attrs: { type: 'submit' } });
  const chatCounter = counter(chatText, QA_LIMITS.chatChars, chatButton);
  const chatForm = el('form', { className: 'ld-ix-compose ld-ix-chat-compose' }, [chatText, chatCounter.element, chatButton]);
  const chatPane = el('section', { className: 'ld-ix-pane', attrs: { role: 'tabpanel', 'aria-label': 'Chat', hidden: '' } }, [chatForm, chatList]);

  const error = el('p', { className: 'ld-ix-error', attrs: { role: 'alert', hidden: '' } });
  // Said in words, where the person would type, for as long as it lasts.
  const mutedNote = el('p', { className: 'ld-ix-muted', text: MUTED_TEXT, attrs: { role: 'status', hidden: '' } });
  const sheet = el('div', { className: 'ld-ix-sheet', attrs: { id: 'ld-ix-sheet', hidden: '', role: 'dialog', 'aria-label': 'Questions and chat' } }, [
    el('div', { className: 'ld-ix-head' }, [el('div', { className: 'ld-ix-tabs', attrs: { role: 'tablist' } }, [tabQuestions, tabChat]), close]),
    nameRow,
    error,
    mutedNote,
    questionsPane,
    chatPane,
  ]);
  document.body.append(spot, launcher, sheet, toast);

  /* ---------- behaviour ---------- */
  const render = scheduler(() => {
    renderQuestions();
    renderChat();
    renderSpot();
    tabQuestions.textContent = `Questions${model.questions.size ? ` (${model.questions.size})` : ''}`;
    modeNote.hidden = !model.approveFirst;
    mutedNote.hidden = !model.muted;
    askForm.hidden = model.muted;
    chatForm.hidden = model.muted;
    launcher.classList.toggle('ld-ix-launch-muted', model.muted);
    badge.hidden = open || unseenChat === 0;
    badge.textContent = unseenChat > 99 ? '99+' : String(unseenChat);
  });

  function setOpen(next: boolean): void {
    open = next;
    sheet.hidden = !open;
    document.body.classList.toggle('ld-ix-is-open', open);
    launcher.setAttribute('aria-expanded', String(open));
    if (open) unseenChat = 0;
    // reveal.js sizes the slide on window resize; the deck area just changed height.
    window.dispatchEvent(new Event('resize'));
    updateWhere();
    render();
  }

  function setTab(next: Tab): void {
    tab = next;
    tabQuestions.setAttribute('aria-selected', String(tab === 'questions'));
    tabChat.setAttribute('aria-selected', String(tab === 'chat'));
    questionsPane.hidden = tab !== 'questions';
    chatPane.hidden = tab !== 'chat';
    render();
  }

  function setOrder(next: SortOrder): void {
    order = next;
    sortTop.setAttribute('aria-pressed', String(order === 'top'));
    sortRecent.setAttribute('aria-pressed', String(order === 'recent'));
    render();
  }

  function updateWhere(): void {
    askWhere.textContent = `about slide ${slideRefLabel(options.where())}`;
  }

  /** Only the three indices: the protocol's slide reference is strict. */
  function here(): SlideRef {
    const { indexh, indexv, indexf } = options.where();
    return { indexh, indexv, indexf };
  }

  function name(): string | null {
    const value = nameInput.value.trim();
    return value === '' ? null : value;
  }

  function showError(text: string): void {
    flash(error, text, 8000);
  }

  launcher.addEventListener('click', () => setOpen(!open));
  close.addEventListener('click', () => setOpen(false));
  tabQuestions.addEventListener('click', () => setTab('questions'));
  tabChat.addEventListener('click', () => setTab('chat'));
  sortTop.addEventListener('click', () => setOrder('top'));
  sortRecent.addEventListener('click', () => setOrder('recent'));
  nameInput.addEventListener('change', () => saveName(nameInput.value.trim()));
  askText.addEventListener('focus', updateWhere);

  askForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = askText.value.trim();
    if (!text || askButton.disabled) return;
    if (name() && [...(name() ?? '')].length > QA_LIMITS.nameChars) return showError(`A name may be at most ${QA_LIMITS.nameChars} characters.`);
    if (editing) outbox.send({ type: 'edit_question', key: randomId(), question: editing.id, text });
    else outbox.send({ type: 'ask', key: randomId(), text, name: anonymous.checked ? null : name(), slide: here() });
    setEditing(null);
    askText.value = '';
    askCounter.update();
    render();
  });

  chatForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = chatText.value.trim();
    if (!text || chatButton.disabled) return;
    if (name() && [...(name() ?? '')].length > QA_LIMITS.nameChars) return showError(`A name may be at most ${QA_LIMITS.nameChars} characters.`);
    outbox.send({ type: 'chat', key: randomId(), text, name: name() });
    chatText.value = '';
    chatCounter.update();
    render();
  });

  /** The ask box edits `q` (its text put in, the button says Save), or asks anew. */
  function setEditing(q: Question | null): void {
    editing = q;
    editNote.hidden = q === null;
    askButton.textContent = q ? 'Save' : 'Ask';
    if (q) {
      askText.value = q.text;
      askText.focus();
    }
    askCounter.update();
  }

  editCancel.addEventListener('click', () => {
    setEditing(null);
    askText.value = '';
    askCounter.update();
  });

  function withdraw(q: Question): void {
    if (editing?.id === q.id) setEditing(null);
    outbox.send({ type: 'withdraw_question', key: randomId(), question: q.id });
    render();
  }

  function vote(q: Question): void {
    const on = !model.hasVoted(q.id);
    model.pendingVotes.set(q.id, on);
    outbox.send({ type: 'upvote', key: randomId(), question: q.id, on });
    render();
  }

  function renderQuestions(): void {
    const items: HTMLElement[] = [];
    // Questions still on their way (queued offline or awaiting the ack) show at once.
    for (const m of outbox.pending()) {
      if (m.type !== 'ask') continue;
      items.push(
        el('li', { className: 'ld-ix-q ld-ix-sending' }, [
          el('div', { className: 'ld-ix-q-body' }, [
            el('p', { className: 'ld-ix-q-text', text: m.text }),
            el('div', { className: 'ld-ix-meta' }, [el('span', { className: 'ld-ix-state', text: 'Sending…' })]),
          ]),
        ]),
      );
    }
    const withdrawing = new Set(outbox.pending().flatMap((m) => (m.type === 'withdraw_question' ? [m.question] : [])));
    for (const q of model.list(order)) if (!withdrawing.has(q.id)) items.push(questionItem(q));
    if (items.length === 0) items.push(el('li', { className: 'ld-ix-empty', text: 'No questions yet. Be the first to ask.' }));
    questionList.replaceChildren(...items);
  }

  function questionItem(q: Question): HTMLElement {
    const mine = model.mine.has(q.id);
    const voted = model.hasVoted(q.id);
    const canVote = q.state === 'visible' || q.state === 'answered';
    const meta: HTMLElement[] = [el('span', { text: q.name ?? 'Anonymous' }), el('span', { text: slideText(q) }), el('span', { text: timeLabel(q.at) })];
    if (mine) meta.push(el('span', { className: `ld-ix-state ld-ix-state-${q.state}`, text: q.state === 'visible' ? 'Yours' : `Yours · ${STATE_LABELS[q.state]}` }));
    else if (q.state === 'answered') meta.push(el('span', { className: 'ld-ix-state ld-ix-state-answered', text: 'Answered' }));
    const voteButton = el('button', {
      className: 'ld-ix-vote',
      attrs: { type: 'button', 'aria-pressed': String(voted), 'aria-label': `${voted ? 'Remove your upvote' : 'Upvote'} (${model.votes(q)})` },
    }, [el('span', { className: 'ld-ix-arrow', text: '▲', attrs: { 'aria-hidden': 'true' } }), el('span', { className: 'ld-ix-count', text: String(model.votes(q)) })]);
    voteButton.disabled = !canVote;
    voteButton.addEventListener('click', () => vote(q));
    // Nobody upvotes their own question (the server refuses it too): the place shows the count only.
    const votes = mine
      ? el('span', { className: 'ld-ix-vote ld-ix-own-votes', attrs: { title: 'Upvotes on your question' } }, [el('span', { className: 'ld-ix-count', text: String(model.votes(q)) })])
      : voteButton;
    if (q.edited) meta.push(el('span', { className: 'ld-ix-edited', text: 'edited' }));
    const body: HTMLElement[] = [el('p', { className: 'ld-ix-q-text', text: q.text }), el('div', { className: 'ld-ix-meta' }, meta)];
    if (q.answer) body.push(el('p', { className: 'ld-ix-answer' }, [el('span', { className: 'ld-ix-answer-label', text: 'Answer: ' }), el('span', { className: 'ld-ix-answer-text', text: q.answer.text })]));
    if (model.canChange(q) && !model.muted) {
      const edit = el('button', { className: 'ld-ix-link ld-ix-edit', text: 'Edit', attrs: { type: 'button' } });
      edit.addEventListener('click', () => setEditing(q));
      const remove = el('button', { className: 'ld-ix-link ld-ix-withdraw', text: 'Withdraw', attrs: { type: 'button' } });
      remove.addEventListener('click', () => withdraw(q));
      body.push(el('div', { className: 'ld-ix-own-actions' }, [edit, remove]));
    }
    const item = el('li', { className: 'ld-ix-q', attrs: { 'data-id': q.id, 'data-state': q.state } }, [votes, el('div', { className: 'ld-ix-q-body' }, body)]);
    if (mine) item.classList.add('ld-ix-mine');
    if (model.highlight === q.id) item.classList.add('ld-ix-highlighted');
    return item;
  }

  function renderChat(): void {
    const items: HTMLElement[] = model.chat.map((line) =>
      el('li', { className: `ld-ix-line${line.mine ? ' ld-ix-mine' : ''}`, attrs: { 'data-id': line.id } }, [
        el('span', { className: 'ld-ix-who', text: line.name ?? 'Anonymous' }),
        el('span', { className: 'ld-ix-line-text', text: line.text }),
      ]),
    );
    for (const m of outbox.pending()) {
      if (m.type === 'chat') items.push(el('li', { className: 'ld-ix-line ld-ix-sending' }, [el('span', { className: 'ld-ix-who', text: 'Sending…' }), el('span', { className: 'ld-ix-line-text', text: m.text })]));
    }
    if (items.length === 0) items.push(el('li', { className: 'ld-ix-empty', text: 'No messages yet. Say hello!' }));
    // Newest at the top, right under the box people type in (the phone keyboard covers the bottom).
    chatList.replaceChildren(...items.reverse());
  }

  function renderSpot(): void {
    const q = model.highlight ? model.questions.get(model.highlight) : undefined;
    spot.hidden = !q;
    spotText.textContent = q ? q.text : '';
  }

  function notify(notice: Notice): void {
    const text = { answered: notice.question.answer ? 'Your question has an answer.' : 'Your question was answered.', approved: 'Your question is now visible to everyone.', hidden: 'Your question was hidden by the moderator.' }[notice.kind];
    flash(toast, text, 5000);
  }

  return {
    receive(message) {
      if (message.type === 'ack') {
        if (outbox.ack(message.key)) render();
        return;
      }
      if (message.type === 'error') {
        if (message.key === undefined) return;
        // Not stored yet (cluster mode): the outbox sends it again; nothing to undo or show.
        if (message.code === 'unavailable') return void outbox.error(message);
        const refused = outbox.pending().find((m) => m.key === message.key);
        outbox.reject(message.key);
        if (refused?.type === 'upvote') model.pendingVotes.delete(refused.question);
        // Put a refused question back, so nothing typed is lost.
        if (refused?.type === 'ask' && askText.value.trim() === '') askText.value = refused.text;
        if (refused?.type === 'chat' && chatText.value.trim() === '') chatText.value = refused.text;
        if (refused?.type === 'edit_question' && askText.value.trim() === '') askText.value = refused.text;
        askCounter.update();
        chatCounter.update();
        showError(errorText(message));
        render();
        return;
      }
      const { changed, notices } = model.apply(message);
      if (message.type === 'qa_snapshot') outbox.flush();
      if (message.type === 'chat_line' && !(open && tab === 'chat') && !message.line.mine) unseenChat++;
      for (const n of notices) notify(n);
      if (changed) render();
    },
  };
}
