/**
 * Moderation for the presenter console and the moderator page: questions by state (live, queue,
 * hidden) with approve / highlight / answered / hide / delete (and jump to the slide, on the
 * console only), the chat with delete, the approve-first switch, and export.
 */
import './staff-panel.css';
import './qa-more.css';
import type { ClientMessage, ServerMessage } from '../../protocol/messages.ts';
import type { ModerationAction, Question, QuestionState, SlideRef } from '../../protocol/qa.ts';
import { el } from '../dom.ts';
import { errorText, flash, scheduler, slideText, timeLabel } from './common.ts';
import { InteractionModel, type SortOrder } from './model.ts';

export interface StaffPanelOptions {
  talk: string;
  /** The presenter or moderator key, sent as a Bearer token for export. */
  key: string;
  send(message: ClientMessage): boolean;
  /** Moves the deck to a question's slide; only the presenter console can. */
  jump?(slide: SlideRef): void;
}

type View = 'live' | 'queue' | 'hidden' | 'chat';

const VIEW_STATES: Record<Exclude<View, 'chat'>, readonly QuestionState[]> = {
  live: ['visible', 'answered'],
  queue: ['pending'],
  hidden: ['hidden'],
};

export function mountStaffPanel(options: StaffPanelOptions): { element: HTMLElement; receive(message: ServerMessage): void } {
  const model = new InteractionModel();
  let view: View = 'live';
  let order: SortOrder = 'top';

  const tabs: Record<View, HTMLButtonElement> = {
    live: el('button', { className: 'ld-sx-tab', attrs: { type: 'button', role: 'tab', 'data-view': 'live' } }),
    queue: el('button', { className: 'ld-sx-tab', attrs: { type: 'button', role: 'tab', 'data-view': 'queue' } }),
    hidden: el('button', { className: 'ld-sx-tab', attrs: { type: 'button', role: 'tab', 'data-view': 'hidden' } }),
    chat: el('button', { className: 'ld-sx-tab', attrs: { type: 'button', role: 'tab', 'data-view': 'chat' } }),
  };
  const approveFirst = el('input', { attrs: { type: 'checkbox' } });
  approveFirst.className = 'ld-sx-approve-first';
  const sort = el('button', { className: 'ld-sx-btn ld-sx-sort', text: 'Sort: top', attrs: { type: 'button' } });
  const exportJson = el('button', { className: 'ld-sx-btn ld-sx-export', text: 'Export JSON', attrs: { type: 'button', 'data-format': 'json' } });
  const exportCsv = el('button', { className: 'ld-sx-btn ld-sx-export', text: 'Export CSV', attrs: { type: 'button', 'data-format': 'csv' } });
  // The key stays in the fragment: the report page reads it there, as this page did.
  const report = el('a', { className: 'ld-sx-btn ld-sx-report', text: 'Report', attrs: { href: `/t/${encodeURIComponent(options.talk)}/report#key=${encodeURIComponent(options.key)}`, target: '_blank', rel: 'noopener' } });
  const list = el('ol', { className: 'ld-sx-list', attrs: { 'aria-live': 'polite' } });
  // One answer box outside the list, which re-renders on every vote: what is typed and the focus stay.
  let answering: Question | null = null;
  const answerFor = el('p', { className: 'ld-sx-answering-for' });
  const answerText = el('textarea', { className: 'ld-sx-answer-input', attrs: { 'aria-label': 'Answer in text', placeholder: 'Type the answer shown under the question…' } });
  const answerSave = el('button', { className: 'ld-sx-btn ld-sx-answer-save', text: 'Publish answer', attrs: { type: 'submit' } });
  const answerCancel = el('button', { className: 'ld-sx-btn ld-sx-answer-cancel', text: 'Cancel', attrs: { type: 'button' } });
  const answerBox = el('form', { className: 'ld-sx-answering', attrs: { hidden: '' } }, [answerFor, answerText, el('div', { className: 'ld-sx-answering-row' }, [answerSave, answerCancel])]);
  const error = el('p', { className: 'ld-sx-error', attrs: { role: 'alert', hidden: '' } });
  const element = el('section', { className: 'ld-sx', attrs: { 'aria-label': 'Questions and chat' } }, [
    el('div', { className: 'ld-sx-tabs', attrs: { role: 'tablist' } }, Object.values(tabs)),
    el('div', { className: 'ld-sx-tools' }, [
      el('label', { className: 'ld-sx-check', attrs: { title: 'New questions wait for approval before the audience sees them' } }, [approveFirst, el('span', { text: 'Approve first' })]),
      sort,
      el('span', { className: 'ld-sx-spacer' }),
      report,
      exportJson,
      exportCsv,
    ]),
    error,
    answerBox,
    list,
  ]);

  const render = scheduler(() => {
    const counts = { live: model.count('visible') + model.count('answered'), queue: model.count('pending'), hidden: model.count('hidden'), chat: model.chat.length };
    const names: Record<View, string> = { live: 'Questions', queue: 'Queue', hidden: 'Hidden', chat: 'Chat' };
    for (const v of Object.keys(tabs) as View[]) {
      tabs[v].textContent = `${names[v]} ${counts[v]}`;
      tabs[v].setAttribute('aria-selected', String(v === view));
      tabs[v].classList.toggle('ld-sx-attention', v === 'queue' && counts.queue > 0);
    }
    approveFirst.checked = model.approveFirst;
    sort.hidden = view === 'chat';
    sort.textContent = order === 'top' ? 'Sort: top' : 'Sort: recent';
    list.replaceChildren(...(view === 'chat' ? chatItems() : questionItems(VIEW_STATES[view])));
  });

  function act(question: Question, action: ModerationAction): void {
    options.send({ type: 'moderate', question: question.id, action });
  }

  function button(text: string, className: string, onClick: () => void, title?: string): HTMLButtonElement {
    const b = el('button', { className: `ld-sx-act ${className}`, text, attrs: { type: 'button', ...(title ? { title } : {}) } });
    b.addEventListener('click', onClick);
    return b;
  }

  function startAnswer(q: Question): void {
    answering = q;
    answerFor.textContent = `Answer to: ${q.text}`;
    answerText.value = q.answer?.text ?? '';
    answerBox.hidden = false;
    answerText.focus();
  }

  function stopAnswer(): void {
    answering = null;
    answerBox.hidden = true;
  }

  answerBox.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = answerText.value.trim();
    if (answering && text) options.send({ type: 'answer_question', question: answering.id, text });
    stopAnswer();
  });
  answerCancel.addEventListener('click', stopAnswer);

  function muteButton(author: string | undefined): HTMLElement[] {
    if (!author) return [];
    const muted = model.mutedAuthors.has(author);
    return [
      button(muted ? 'Unmute' : 'Mute', muted ? 'ld-sx-unmute' : 'ld-sx-mute', () => options.send({ type: 'mute', author, on: !muted }), muted ? 'Let this person ask and chat again' : 'Pause this person’s questions and chat'),
    ];
  }

  function questionItems(states: readonly QuestionState[]): HTMLElement[] {
    const questions = model.list(order, states);
    if (questions.length === 0) {
      const empty = { live: 'No questions yet.', queue: 'Nothing waiting for approval.', hidden: 'No hidden questions.' }[view as Exclude<View, 'chat'>];
      return [el('li', { className: 'ld-sx-empty', text: empty })];
    }
    return questions.map((q) => {
      const highlighted = model.highlight === q.id;
      const actions: HTMLElement[] = [];
      if (q.state === 'pending') actions.push(button('Approve', 'ld-sx-approve', () => act(q, 'approve')));
      if (q.state !== 'hidden') {
        actions.push(
          highlighted
            ? button('Unhighlight', 'ld-sx-unhighlight', () => act(q, 'unhighlight'))
            : button('Highlight', 'ld-sx-highlight', () => act(q, 'highlight'), 'Show it on the screen and on phones'),
        );
      }
      if (q.state === 'answered') actions.push(button('Reopen', 'ld-sx-reopen', () => act(q, 'reopen')));
      else actions.push(button('Answered', 'ld-sx-answer', () => act(q, 'answer')));
      actions.push(q.state === 'hidden' ? button('Show', 'ld-sx-show', () => act(q, 'show')) : button('Hide', 'ld-sx-hide', () => act(q, 'hide')));
      actions.push(button(q.answer ? 'Edit answer' : 'Answer in text', 'ld-sx-answer-text-btn', () => startAnswer(q)));
      if (q.answer) actions.push(button('Remove answer', 'ld-sx-answer-remove', () => options.send({ type: 'answer_question', question: q.id, text: null })));
      actions.push(
        button('Delete', 'ld-sx-delete', () => {
          if (confirm('Delete this question for everyone?')) act(q, 'delete');
        }),
      );
      actions.push(...muteButton(q.author));
      const jump = options.jump;
      const slide = jump
        ? button(`Go to ${slideText(q)}`, 'ld-sx-jump', () => jump(q.slide), 'Move the deck to the slide it was asked on')
        : el('span', { className: 'ld-sx-slide', text: slideText(q) });
      const item = el('li', { className: `ld-sx-q${highlighted ? ' ld-sx-highlighted' : ''}`, attrs: { 'data-id': q.id, 'data-state': q.state } }, [
        el('div', { className: 'ld-sx-votes', attrs: { title: 'Upvotes' } }, [el('strong', { text: String(q.votes) }), el('span', { text: 'votes' })]),
        el('div', { className: 'ld-sx-body' }, [
          el('p', { className: 'ld-sx-text', text: q.text }),
          ...(q.answer ? [el('p', { className: 'ld-sx-answer-text', text: q.answer.text })] : []),
          el('div', { className: 'ld-sx-meta' }, [
            ...(q.edited ? [el('span', { className: 'ld-sx-edited', text: 'edited' })] : []),
            ...(q.author && model.mutedAuthors.has(q.author) ? [el('span', { className: 'ld-sx-muted-tag', text: 'Muted' })] : []),
            el('span', { className: 'ld-sx-name', text: q.name ?? 'Anonymous' }),
            slide,
            el('span', { text: timeLabel(q.at) }),
            ...(q.state === 'answered' ? [el('span', { className: 'ld-sx-answered', text: 'Answered' })] : []),
            ...(highlighted ? [el('span', { className: 'ld-sx-onscreen', text: 'On screen' })] : []),
          ]),
          el('div', { className: 'ld-sx-actions' }, actions),
        ]),
      ]);
      return item;
    });
  }

  function chatItems(): HTMLElement[] {
    if (model.chat.length === 0) return [el('li', { className: 'ld-sx-empty', text: 'No messages yet.' })];
    return [...model.chat].reverse().map((line) =>
      el('li', { className: 'ld-sx-line', attrs: { 'data-id': line.id } }, [
        el('span', { className: 'ld-sx-time', text: timeLabel(line.at) }),
        el('span', { className: 'ld-sx-who', text: line.name ?? 'Anonymous' }),
        el('span', { className: 'ld-sx-line-text', text: line.text }),
        button('Delete', 'ld-sx-delete', () => options.send({ type: 'chat_delete', id: line.id })),
        ...muteButton(line.author),
      ]),
    );
  }

  async function download(format: 'json' | 'csv'): Promise<void> {
    try {
      // The key goes in a header, never the URL: proxies and servers log URLs.
      const response = await fetch(`/export/${encodeURIComponent(options.talk)}.${format}`, { headers: { authorization: `Bearer ${options.key}` } });
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const a = el('a', { attrs: { href: url, download: `livedeck-${options.talk}.${format}` } });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      flash(error, `Export failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  for (const v of Object.keys(tabs) as View[]) {
    tabs[v].addEventListener('click', () => {
      view = v;
      render();
    });
  }
  approveFirst.addEventListener('change', () => options.send({ type: 'qa_mode', approveFirst: approveFirst.checked }));
  sort.addEventListener('click', () => {
    order = order === 'top' ? 'recent' : 'top';
    render();
  });
  exportJson.addEventListener('click', () => void download('json'));
  exportCsv.addEventListener('click', () => void download('csv'));
  render();

  return {
    element,
    receive(message) {
      if (message.type === 'error' && ['moderate', 'qa_mode', 'chat_delete', 'answer_question', 'mute'].includes(message.ref ?? '')) {
        flash(error, errorText(message));
        return;
      }
      if (model.apply(message).changed) render();
    },
  };
}
