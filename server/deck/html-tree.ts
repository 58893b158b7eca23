/**
 * A small, forgiving HTML scanner that builds an element tree with source offsets.
 * It does not rebuild markup: callers read the tree and then edit the original string
 * (see edits.ts), so everything they do not touch stays byte for byte as the author wrote it.
 * Good enough for the author's own slides and for marked's output; not a general HTML5 parser.
 */

export interface Attr {
  /** As written (case kept, e.g. SVG's viewBox). */
  name: string;
  /** Lower-case name, for comparisons. */
  key: string;
  /** Raw value between the quotes, entities not decoded; null for a bare attribute. */
  value: string | null;
  /** Span of the whole attribute, `name="value"`. */
  start: number;
  end: number;
  /** Span of the raw value (without quotes); equal to `end` when there is no value. */
  valueStart: number;
  valueEnd: number;
}

export interface ElementNode {
  kind: 'element';
  /** Lower-case tag name; `#root` for the tree's root. */
  name: string;
  attrs: Attr[];
  parent: ElementNode | null;
  children: TreeNode[];
  /** `<` of the start tag. */
  start: number;
  /** Just past the tag name: where new attributes go when there are none. */
  nameEnd: number;
  /** Just past the start tag's `>`. */
  openEnd: number;
  /** `<` of the end tag, or where the element was implicitly closed. */
  closeStart: number;
  /** Just past the end tag (equal to closeStart when implicitly closed). */
  end: number;
}

export interface TextNode {
  kind: 'text';
  parent: ElementNode;
  start: number;
  end: number;
}

export interface CommentNode {
  kind: 'comment';
  parent: ElementNode;
  start: number;
  end: number;
  /** The text between `<!--` and `-->`. */
  data: string;
}

export type TreeNode = ElementNode | TextNode | CommentNode;

const VOID = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr',
]);
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp']);
/** Opening one of these closes an open <p> right above it. */
const CLOSES_P = new Set([
  'address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl', 'fieldset', 'figcaption', 'figure',
  'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'main', 'nav', 'ol', 'p', 'pre',
  'section', 'table', 'ul',
]);

export function parseHtml(src: string): ElementNode {
  const root: ElementNode = {
    kind: 'element', name: '#root', attrs: [], parent: null, children: [],
    start: 0, nameEnd: 0, openEnd: 0, closeStart: src.length, end: src.length,
  };
  const stack: ElementNode[] = [root];
  const top = (): ElementNode => stack[stack.length - 1] ?? root;
  const closeTop = (at: number): void => {
    const el = stack.pop();
    if (el) {
      el.closeStart = at;
      el.end = at;
    }
  };
  let i = 0;
  let textStart = -1;
  const flushText = (at: number): void => {
    if (textStart >= 0 && at > textStart) top().children.push({ kind: 'text', parent: top(), start: textStart, end: at });
    textStart = -1;
  };

  while (i < src.length) {
    const lt = src.indexOf('<', i);
    if (lt < 0) {
      if (textStart < 0) textStart = i;
      i = src.length;
      break;
    }
    if (lt > i && textStart < 0) textStart = i;
    const next = src[lt + 1] ?? '';

    if (src.startsWith('<!--', lt)) {
      flushText(lt);
      const close = src.indexOf('-->', lt + 4);
      const end = close < 0 ? src.length : close + 3;
      top().children.push({ kind: 'comment', parent: top(), start: lt, end, data: src.slice(lt + 4, close < 0 ? src.length : close) });
      i = end;
    } else if (next === '!' || next === '?') {
      flushText(lt);
      const close = src.indexOf('>', lt);
      i = close < 0 ? src.length : close + 1;
    } else if (next === '/' && /[a-z]/i.test(src[lt + 2] ?? '')) {
      flushText(lt);
      const m = /^<\/([a-z][^\s/>]*)[^>]*>?/i.exec(src.slice(lt));
      const name = (m?.[1] ?? '').toLowerCase();
      const end = lt + (m?.[0].length ?? 2);
      const depth = findOpen(stack, name);
      if (depth > 0) {
        while (stack.length - 1 > depth) closeTop(lt);
        const el = stack.pop();
        if (el) {
          el.closeStart = lt;
          el.end = end;
        }
      }
      i = end;
    } else if (/[a-z]/i.test(next)) {
      flushText(lt);
      const tag = scanStartTag(src, lt);
      const parentBefore = top();
      if (tag.name === 'li') closeOpenListItem(stack, lt, closeTop);
      else if (CLOSES_P.has(tag.name) && parentBefore.name === 'p') closeTop(lt);
      const el: ElementNode = {
        kind: 'element', name: tag.name, attrs: tag.attrs, parent: top(), children: [],
        start: lt, nameEnd: tag.nameEnd, openEnd: tag.end, closeStart: tag.end, end: tag.end,
      };
      top().children.push(el);
      i = tag.end;
      if (VOID.has(tag.name) || tag.selfClosing) continue;
      if (RAW_TEXT.has(tag.name)) {
        const close = new RegExp(`</${tag.name}[\\s/>]`, 'i').exec(src.slice(i));
        const closeAt = close ? i + close.index : src.length;
        if (closeAt > i) el.children.push({ kind: 'text', parent: el, start: i, end: closeAt });
        const gt = src.indexOf('>', closeAt);
        el.closeStart = closeAt;
        el.end = close ? (gt < 0 ? src.length : gt + 1) : src.length;
        i = el.end;
        continue;
      }
      stack.push(el);
    } else {
      // A lone `<` is text.
      if (textStart < 0) textStart = lt;
      i = lt + 1;
    }
  }
  flushText(src.length);
  while (stack.length > 1) closeTop(src.length);
  return root;
}

function findOpen(stack: ElementNode[], name: string): number {
  for (let d = stack.length - 1; d > 0; d--) if (stack[d]?.name === name) return d;
  return -1;
}

function closeOpenListItem(stack: ElementNode[], at: number, closeTop: (at: number) => void): void {
  for (let d = stack.length - 1; d > 0; d--) {
    const name = stack[d]?.name;
    if (name === 'ul' || name === 'ol') return;
    if (name === 'li') {
      while (stack.length > d) closeTop(at);
      return;
    }
  }
}

interface StartTag {
  name: string;
  nameEnd: number;
  attrs: Attr[];
  selfClosing: boolean;
  end: number;
}

function scanStartTag(src: string, lt: number): StartTag {
  const nameMatch = /^[a-z][^\s/>]*/i.exec(src.slice(lt + 1));
  const name = (nameMatch?.[0] ?? '').toLowerCase();
  const nameEnd = lt + 1 + (nameMatch?.[0].length ?? 0);
  const attrs: Attr[] = [];
  let i = nameEnd;
  let selfClosing = false;
  while (i < src.length) {
    const c = src[i] ?? '';
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '>') return { name, nameEnd, attrs, selfClosing, end: i + 1 };
    if (c === '/') {
      selfClosing = src[i + 1] === '>';
      i++;
      continue;
    }
    selfClosing = false;
    const start = i;
    const attrName = /^[^\s"'>/=]+|^[^\s>]/.exec(src.slice(i))?.[0] ?? c;
    i += attrName.length;
    let j = i;
    while (j < src.length && /\s/.test(src[j] ?? '')) j++;
    if (src[j] !== '=') {
      attrs.push({ name: attrName, key: attrName.toLowerCase(), value: null, start, end: i, valueStart: i, valueEnd: i });
      continue;
    }
    j++;
    while (j < src.length && /\s/.test(src[j] ?? '')) j++;
    const quote = src[j];
    let valueStart: number;
    let valueEnd: number;
    if (quote === '"' || quote === "'") {
      valueStart = j + 1;
      const close = src.indexOf(quote, valueStart);
      valueEnd = close < 0 ? src.length : close;
      i = close < 0 ? src.length : close + 1;
    } else {
      valueStart = j;
      const m = /^[^\s>]*/.exec(src.slice(j));
      valueEnd = j + (m?.[0].length ?? 0);
      i = valueEnd;
    }
    attrs.push({
      name: attrName, key: attrName.toLowerCase(), value: src.slice(valueStart, valueEnd),
      start, end: i, valueStart, valueEnd,
    });
  }
  return { name, nameEnd, attrs, selfClosing, end: src.length };
}

/* ---------------- queries ---------------- */

export function isElement(node: TreeNode): node is ElementNode {
  return node.kind === 'element';
}

export function attr(el: ElementNode, key: string): Attr | undefined {
  return el.attrs.find((a) => a.key === key);
}

export function hasClass(el: ElementNode, name: string): boolean {
  return (attr(el, 'class')?.value ?? '').split(/\s+/).includes(name);
}

export function childElements(el: ElementNode, name?: string): ElementNode[] {
  return el.children.filter((c): c is ElementNode => isElement(c) && (name === undefined || c.name === name));
}

/** Elements under `el` in document order. `enter` decides whether to look inside a match's children. */
export function descendants(el: ElementNode, match: (e: ElementNode) => boolean, enter: (e: ElementNode) => boolean = () => true): ElementNode[] {
  const out: ElementNode[] = [];
  const walk = (node: ElementNode): void => {
    for (const child of childElements(node)) {
      if (match(child)) out.push(child);
      if (enter(child)) walk(child);
    }
  };
  walk(el);
  return out;
}

export function isInside(el: ElementNode, name: string): boolean {
  for (let p = el.parent; p; p = p.parent) if (p.name === name) return true;
  return false;
}

/** The element's inner markup. */
export function inner(src: string, el: ElementNode): string {
  return src.slice(el.openEnd, el.closeStart);
}

/** The element's markup, tags included. */
export function outer(src: string, el: ElementNode): string {
  return src.slice(el.start, el.end);
}
