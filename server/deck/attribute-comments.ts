import { mergeAttrs, parseAttributeList, setAttributeEdits, type NewAttr } from './attributes.ts';
import { applyEdits, type Edit } from './edits.ts';
import { isElement, parseHtml, type ElementNode, type TreeNode } from './html-tree.ts';

const ELEMENT = /^\s*\.element(?::|\s)\s*([\s\S]*?)\s*$/;
const SLIDE = /^\s*\.slide(?::|\s)\s*([\s\S]*?)\s*$/;

export interface CommentedSlide {
  /** The slide's markup with the attribute comments applied and removed. */
  html: string;
  /** Attributes for the slide's own <section>. */
  sectionAttrs: NewAttr[];
}

/**
 * reveal.js markdown plugin attribute comments, on one slide's rendered markup:
 * `<!-- .element: class="fragment" -->` sets attributes on the element before it (skipping
 * <br>), or on its parent when it comes first (so at the end of a list item it is the <li>,
 * at the end of a paragraph the <p>); at the top level with nothing before it, the slide.
 * `<!-- .slide: data-background="#123" -->` sets attributes on the slide's <section>.
 */
export function applyAttributeComments(html: string): CommentedSlide {
  const root = parseHtml(html);
  const perElement = new Map<ElementNode, NewAttr[][]>();
  const section: NewAttr[][] = [];
  const edits: Edit[] = [];

  const visit = (el: ElementNode): void => {
    el.children.forEach((child, index) => {
      if (isElement(child)) return visit(child);
      if (child.kind !== 'comment') return;
      const slide = SLIDE.exec(child.data);
      const element = slide ? null : ELEMENT.exec(child.data);
      if (!slide && !element) return;
      edits.push({ start: blanksBefore(html, child.start), end: child.end, text: '' });
      if (slide) return void section.push(parseAttributeList(slide[1] ?? ''));
      const target = previousElement(el.children, index) ?? (el.name === '#root' ? null : el);
      const attrs = parseAttributeList(element?.[1] ?? '');
      if (!target) return void section.push(attrs);
      perElement.set(target, [...(perElement.get(target) ?? []), attrs]);
    });
  };
  visit(root);

  for (const [el, lists] of perElement) edits.push(...setAttributeEdits(el, mergeAttrs(lists)));
  return { html: applyEdits(html, edits), sectionAttrs: mergeAttrs(section) };
}

function previousElement(siblings: readonly TreeNode[], index: number): ElementNode | null {
  for (let i = index - 1; i >= 0; i--) {
    const node = siblings[i];
    if (node && isElement(node) && node.name !== 'br') return node;
  }
  return null;
}

/** Where the spaces and tabs right before `at` begin, so removing a trailing comment leaves no dangling space. */
function blanksBefore(src: string, at: number): number {
  let i = at;
  while (i > 0 && (src[i - 1] === ' ' || src[i - 1] === '\t')) i--;
  return i;
}
