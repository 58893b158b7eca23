import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeckError, loadDeck } from './index.ts';
import { parseDocument } from './dom.ts';
import { extractPolls, parsePollBody } from './polls.ts';

const POLL_DECK = fileURLToPath(new URL('../../test/fixtures/poll.md', import.meta.url));

async function deckFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'livedeck-polls-'));
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

const mdPoll = (body: string) => `# T\n\n---\n\n## Q\n\n\`\`\`poll\n${body}\n\`\`\`\n`;

describe('deck polls', () => {
  describe('markdown', () => {
    it('reads every poll with its slide and replaces each with a placeholder', async () => {
      const deck = await loadDeck(POLL_DECK);
      assert.deepEqual(
        deck.polls.map((p) => [p.id, p.type, p.slide]),
        [
          ['transport', 'single', { h: 1, v: 0 }],
          ['tools', 'multiple', { h: 2, v: 0 }],
          ['word', 'words', { h: 3, v: 0 }],
          ['rate', 'rating', { h: 3, v: 1 }],
          ['open', 'text', { h: 4, v: 0 }],
        ],
      );
      for (const poll of deck.polls) assert.ok(deck.html.includes(`<div class="ld-poll" data-poll-id="${poll.id}"></div>`));
      assert.doesNotMatch(deck.html, /language-poll|question:/);
    });

    it('reads options, comments, quotes and defaults', async () => {
      const deck = await loadDeck(POLL_DECK);
      const byId = Object.fromEntries(deck.polls.map((p) => [p.id, p]));
      assert.deepEqual(byId.transport?.options, ['Polling', 'Long polling', 'WebSockets']);
      assert.deepEqual(byId.tools?.options, ['ws', 'socket.io', 'C# SignalR']);
      assert.equal(byId.tools?.results, 'closed');
      assert.equal(byId.transport?.open, 'manual');
      assert.equal(byId.word?.open, 'on-slide');
      assert.deepEqual(byId.rate?.options, ['1', '2', '3', '4', '5']);
      assert.deepEqual(byId.open?.options, []);
    });

    it('reads a quiz question: correct options marked [x], its quiz and its time', async () => {
      const body = 'type: quiz\nquiz: ws\ntime: 15\nquestion: Which port?\noptions:\n  - [ ] 21\n  - [x] 443\n  - [X] 80';
      const [poll] = (await loadDeck(await deckFile('d.md', mdPoll(body)))).polls;
      assert.deepEqual([poll?.type, poll?.options, poll?.quiz], ['quiz', ['21', '443', '80'], { id: 'ws', seconds: 15, correct: [1, 2], several: true }]);
      const [plain] = (await loadDeck(await deckFile('d.md', mdPoll('type: quiz\nquestion: Q?\noptions:\n  - [x] a\n  - [ ] b')))).polls;
      assert.deepEqual(plain?.quiz, { id: 'quiz', seconds: 20, correct: [0], several: false }, 'defaults: quiz "quiz", 20 seconds');
    });

    it('reads a ranking poll and a word cloud with max-words and a deny-list', async () => {
      const deck = await loadDeck(
        await deckFile('d.md', `${mdPoll('type: ranking\nquestion: Order?\noptions:\n  - a\n  - b\n  - c')}\n---\n\n\`\`\`poll\ntype: words\nquestion: Words?\nmax-words: 3\ndeny:\n  - Darn\n  - " HECK "\n\`\`\`\n`),
      );
      assert.deepEqual(deck.polls[0]?.options, ['a', 'b', 'c']);
      assert.deepEqual([deck.polls[1]?.maxWords, deck.polls[1]?.deny], [3, ['darn', 'heck']]);
    });

    it('derives an id from the question when none is given', async () => {
      const deck = await loadDeck(await deckFile('d.md', mdPoll('type: words\nquestion: One word, please?')));
      assert.equal(deck.polls[0]?.id, 'one-word-please');
    });

    it('leaves other fenced code alone', async () => {
      const deck = await loadDeck(await deckFile('d.md', '# T\n\n```yaml\nquestion: x\n```\n'));
      assert.deepEqual(deck.polls, []);
      // reveal's markdown plugin writes the language as the class, as in the browser.
      assert.match(deck.html, /<code\s+class="yaml">/);
    });
  });

  describe('HTML', () => {
    it('reads <div class="poll" data-poll> and <pre class="poll">', async () => {
      const json = JSON.stringify({ id: 'j', type: 'single', question: 'A or B?', options: ['A', 'B'], open: 'on-slide' });
      const html = `<section><h1>T</h1></section>
<section><div class="poll" data-poll='${json}'></div></section>
<section><section>x</section><section><pre class="poll">type: rating
question: Rate &lt;this&gt;
scale: 0-10</pre></section></section>`;
      const deck = await loadDeck(await deckFile('d.html', html));
      assert.deepEqual(deck.polls[0], { id: 'j', type: 'single', question: 'A or B?', options: ['A', 'B'], results: 'live', open: 'on-slide', slide: { h: 1, v: 0 } });
      assert.equal(deck.polls[1]?.question, 'Rate <this>');
      assert.deepEqual(deck.polls[1]?.slide, { h: 2, v: 1 });
      assert.equal(deck.polls[1]?.options.length, 11);
      assert.doesNotMatch(deck.html, /class="poll"/);
    });
  });

  describe('mistakes', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['an unknown type', 'type: maybe\nquestion: Q?', /slide 2: unknown poll type "maybe"/],
      ['no question', 'type: words', /needs a "question"/],
      ['no type', 'question: Q?', /needs a "type"/],
      ['too few options', 'type: single\nquestion: Q?\noptions:\n  - only', /at least two "options"/],
      ['an unknown key', 'type: words\nquestion: Q?\ncolour: red', /unknown key "colour"/],
      ['a stray list item', 'type: words\n- a\nquestion: Q?', /no "options:" comes before/],
      ['options on a word poll', 'type: words\nquestion: Q?\noptions:\n  - a\n  - b', /takes no "options"/],
      ['a bad scale', 'type: rating\nquestion: Q?\nscale: 5-1', /"scale" must look like 1-5/],
      ['a bad id', 'id: has space\ntype: words\nquestion: Q?', /may only use letters/],
      ['a reserved id', 'id: live-1\ntype: words\nquestion: Q?', /kept for polls created during the talk/],
      ['a bad results value', 'type: words\nquestion: Q?\nresults: sometimes', /"results" must be live or closed/],
      ['a line that is not key: value', 'type: words\nquestion: Q?\njust words', /should be "key: value"/],
      ['a quiz option without a mark', 'type: quiz\nquestion: Q?\noptions:\n  - [x] a\n  - b', /start every quiz option with \[x\]/],
      ['a quiz with no correct option', 'type: quiz\nquestion: Q?\noptions:\n  - [ ] a\n  - [ ] b', /mark at least one quiz option correct/],
      ['a quiz time out of range', 'type: quiz\nquestion: Q?\ntime: 2\noptions:\n  - [x] a\n  - [ ] b', /"time" is the seconds to answer, 5 to 300/],
      ['time on a poll that is not a quiz', 'type: single\nquestion: Q?\ntime: 20\noptions:\n  - a\n  - b', /only a quiz poll takes/],
      ['max-words out of range', 'type: words\nquestion: Q?\nmax-words: 11', /"max-words" is how many words/],
      ['a deny-list on a choice poll', 'type: single\nquestion: Q?\noptions:\n  - a\n  - b\ndeny:\n  - x', /only a words poll takes "max-words" and "deny"/],
    ];
    for (const [what, body, message] of cases) {
      it(`refuses ${what} with a DeckError naming the slide`, async () => {
        const file = await deckFile('d.md', mdPoll(body));
        await assert.rejects(loadDeck(file), (err: unknown) => err instanceof DeckError && message.test(err.message));
      });
    }

    it('refuses two polls with the same id', async () => {
      const file = await deckFile('d.md', `${mdPoll('id: a\ntype: words\nquestion: Q?')}\n---\n\n${mdPoll('id: a\ntype: text\nquestion: R?').replace('# T\n\n---\n\n', '')}`);
      await assert.rejects(loadDeck(file), /two polls have the id "a"/);
    });

    it('refuses bad JSON in data-poll', async () => {
      const file = await deckFile('d.html', `<section><div class="poll" data-poll='{nope'></div></section>`);
      await assert.rejects(loadDeck(file), /data-poll is not valid JSON/);
    });
  });

  it('parsePollBody keeps "#" inside words and quotes', () => {
    const raw = parsePollBody('question: Is C# fun? # a comment\ntype: "single # not a comment"', { h: 0, v: 0 });
    assert.equal(raw.question, 'Is C# fun?');
    assert.equal(raw.type, 'single # not a comment');
  });

  it('extractPolls leaves a slide without polls untouched', () => {
    const html = '<h1>A</h1><pre><code>x</code></pre>';
    const el = parseDocument(`<section>${html}</section>`).document.querySelector('section');
    assert.ok(el);
    assert.deepEqual(extractPolls([{ el, h: 0, v: 0 }]), []);
    assert.equal(el.innerHTML, html);
  });
});
