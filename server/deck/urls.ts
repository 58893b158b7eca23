import { isOutsideUrl } from './deck-files.ts';

/** Where the server serves the deck's folder. Slides are shown from other paths, so relative URLs must point here. */
export const DECK_URL_PREFIX = '/deck/';

/** Attributes holding one URL. */
const URL_ATTRS = new Set([
  'src', 'href', 'xlink:href', 'poster', 'data', 'data-src', 'data-background-image', 'data-background-iframe',
  'data-preview-image', 'data-preview-video', 'data-preview-link',
]);
/** Attributes holding a comma-separated list whose items start with a URL. */
const LIST_ATTRS = new Set(['srcset', 'data-srcset', 'data-background-video']);
/** `url(…)` and `@import "…"` in CSS. */
const CSS_URL = /(url\(\s*)(["']?)([^"')\s]+)(\2\s*\))|(@import\s+)(["'])([^"']+)(\6)/gi;

/** True for `img/a.png`, `./a.png`, `../a.png`; false for schemes (http:, data:, mailto:), `/x`, `//host`, `#x`, `?x`. */
export function isRelativeUrl(url: string): boolean {
  const u = url.trim();
  if (u === '' || /^[/#?]/.test(u)) return false;
  return !/^[a-z][a-z0-9+.-]*:/i.test(u);
}

/** `img/a.png` → `/deck/img/a.png`; anything not relative comes back unchanged. */
export function toDeckUrl(url: string): string {
  if (!isRelativeUrl(url)) return url;
  return DECK_URL_PREFIX + url.trim().replace(/^(?:\.\/)+/, '');
}

/** `data-background` may be a colour, a gradient or an image; only something that looks like a file is a URL. */
function looksLikeFile(value: string): boolean {
  return !/[()\s]/.test(value.trim()) && /[./]/.test(value) && !/^#/.test(value.trim());
}

/** Where a URL sits, so the caller can tell what the browser loads from what it only links to. */
type UrlVisitor = (url: string, loaded: boolean) => string;

function mapList(value: string, visit: (url: string) => string): string {
  return value
    .split(',')
    .map((item) => item.replace(/^(\s*)(\S+)/, (_, space: string, url: string) => space + visit(url)))
    .join(',');
}

function mapCss(css: string, visit: (url: string) => string): string {
  return css.replace(CSS_URL, (whole, open?: string, q1?: string, url1?: string, close?: string, imp?: string, q2?: string, url2?: string, end?: string) =>
    open !== undefined ? `${open}${q1 ?? ''}${visit(url1 ?? '')}${close ?? ''}` : imp !== undefined ? `${imp}${q2 ?? ''}${visit(url2 ?? '')}${end ?? ''}` : whole,
  );
}

/** Is a URL in this attribute fetched by the browser (an image, a frame, a style sheet), or only followed when clicked? */
function isLoaded(el: Element, name: string): boolean {
  if (name === 'data-preview-link') return false;
  if (name !== 'href' && name !== 'xlink:href') return true;
  if (el.localName === 'link') return /\b(?:stylesheet|icon|preload|prefetch)\b/i.test(el.getAttribute('rel') ?? '');
  return el.localName === 'image' || el.localName === 'use' || el.localName === 'feimage';
}

/** Calls `visit` on every URL in the markup under `root` (attributes, style attributes, <style>) and writes back what it returns. */
function visitUrls(root: Element, visit: UrlVisitor): void {
  for (const el of [root, ...root.querySelectorAll('*')]) {
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      const value = attr.value;
      let next = value;
      if (URL_ATTRS.has(name)) next = visit(value, isLoaded(el, name));
      else if (LIST_ATTRS.has(name)) next = mapList(value, (u) => visit(u, true));
      else if (name === 'data-background' && looksLikeFile(value)) next = visit(value, true);
      else if (name === 'style' && /url\(/i.test(value)) next = mapCss(value, (u) => visit(u, true));
      if (next !== value) el.setAttribute(attr.name, next);
    }
    if (el.localName === 'style' && el.textContent) {
      const css = el.textContent;
      const next = mapCss(css, (u) => visit(u, true));
      if (next !== css) el.textContent = next;
    }
  }
}

/** Points every relative URL under `root` into the deck folder. */
export function rewriteDeckUrls(root: Element): void {
  visitUrls(root, (url) => toDeckUrl(url));
}

/** The absolute http(s) and protocol-relative URLs the browser loads for the markup under `root`. */
export function outsideUrlsIn(root: Element): string[] {
  const found: string[] = [];
  visitUrls(root, (url, loaded) => {
    if (loaded && isOutsideUrl(url)) found.push(url.trim());
    return url;
  });
  return found;
}
