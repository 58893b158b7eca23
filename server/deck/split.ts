/**
 * Cuts markdown into slides the way reveal.js and reveal-md do: a line that is exactly `---`
 * starts a horizontal slide, exactly `----` a vertical one (trailing spaces allowed). A line
 * starting `Note:` or `Notes:` starts the slide's speaker notes. Inside fenced code blocks
 * neither counts.
 */

export interface MarkdownSlide {
  content: string;
  /** The notes' source text, '' when the slide has none. */
  notes: string;
}

const HORIZONTAL = /^---[ \t]*$/;
const VERTICAL = /^----[ \t]*$/;
const NOTES = /^[ \t]*notes?:[ \t]?/i;

/** Tracks ``` and ~~~ fences across lines. */
class FenceTracker {
  private open: { char: string; length: number } | null = null;

  /** Feeds one line; true when the line is part of a fenced block (its fences included). */
  inFence(line: string): boolean {
    const m = /^[ \t]*(`{3,}|~{3,})(.*)$/.exec(line);
    if (this.open) {
      if (m && m[1]?.[0] === this.open.char && (m[1]?.length ?? 0) >= this.open.length && (m[2] ?? '').trim() === '') this.open = null;
      return true;
    }
    // A backtick fence's info string may not contain a backtick (then it is inline code).
    if (m && !(m[1]?.[0] === '`' && (m[2] ?? '').includes('`'))) {
      this.open = { char: m[1]?.[0] ?? '`', length: m[1]?.length ?? 3 };
      return true;
    }
    return false;
  }
}

/** Horizontal slides, each a list of vertical slides (one for a plain slide). Blank slides are left out. */
export function splitSlides(markdown: string): MarkdownSlide[][] {
  const stacks: string[][][] = [[[]]];
  const fences = new FenceTracker();
  for (const line of markdown.split('\n')) {
    const stack = stacks[stacks.length - 1] ?? [];
    if (!fences.inFence(line)) {
      if (HORIZONTAL.test(line)) {
        stacks.push([[]]);
        continue;
      }
      if (VERTICAL.test(line)) {
        stack.push([]);
        continue;
      }
    }
    stack[stack.length - 1]?.push(line);
  }
  return stacks
    .map((stack) => stack.map(splitNotes).filter((slide) => slide.content.trim() !== '' || slide.notes.trim() !== ''))
    .filter((stack) => stack.length > 0);
}

function splitNotes(lines: string[]): MarkdownSlide {
  const fences = new FenceTracker();
  const at = lines.findIndex((line) => !fences.inFence(line) && NOTES.test(line));
  if (at < 0) return { content: lines.join('\n'), notes: '' };
  const notes = [(lines[at] ?? '').replace(NOTES, ''), ...lines.slice(at + 1)].join('\n');
  return { content: lines.slice(0, at).join('\n'), notes };
}
