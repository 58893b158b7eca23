/**
 * The slide structure as reveal.js reads it: horizontal slides are `.slides>section`, a
 * horizontal slide with `section` children is a vertical stack of them.
 */

/** One slide reveal.js can show, with its indices. */
export interface SlideAt {
  el: Element;
  h: number;
  v: number;
}

const sectionChildren = (el: Element): Element[] => [...el.children].filter((c) => c.localName === 'section');

export function horizontalSlides(slides: Element): Element[] {
  return sectionChildren(slides);
}

/** Every slide in reveal's order; a stack itself is not a slide, its children are. */
export function listSlides(slides: Element): SlideAt[] {
  return horizontalSlides(slides).flatMap((top, h) => {
    const children = sectionChildren(top);
    return (children.length > 0 ? children : [top]).map((el, v) => ({ el, h, v }));
  });
}

/** Per horizontal slide, how many slides it shows. */
export function stackSizes(slides: Element): number[] {
  return horizontalSlides(slides).map((top) => Math.max(1, sectionChildren(top).length));
}

/**
 * reveal.js's removeHiddenSlides (dist/reveal.mjs): every `section[data-visibility="hidden"]`
 * goes, and a stack whose only child it was goes with it. `showHiddenSlides` keeps them all.
 */
export function removeHiddenSlides(slides: Element, showHiddenSlides: boolean): void {
  if (showHiddenSlides) return;
  for (const el of slides.querySelectorAll('section[data-visibility="hidden"]')) {
    const parent = el.parentElement;
    if (parent && parent.childElementCount === 1 && /section/i.test(parent.nodeName)) parent.remove();
    else el.remove();
  }
}
