import { TOPIC_LIMITS, TOPIC_NAME, type TopicDeclarations } from '../../protocol/topics.ts';
import { DeckError } from './errors.ts';
import { isObject } from './settings.ts';

function checkName(name: string, where: string): void {
  if (!TOPIC_NAME.test(name)) {
    throw new DeckError(`Topic "${name}" in ${where}: a topic name is 1 to ${TOPIC_LIMITS.nameChars} letters, digits, "_", "-" or ".", starting with a letter or digit`);
  }
}

/**
 * Front matter `livedeck: { topics: { taps: { audience: true }, status: {} } }`: which topics
 * phones may publish to (the presenter may publish to any).
 */
export function topicsFromFrontMatter(meta: Record<string, unknown>, display: string): TopicDeclarations {
  const where = `the front matter of ${display}`;
  const livedeck = meta.livedeck;
  if (livedeck === undefined || livedeck === null) return {};
  if (!isObject(livedeck)) throw new DeckError(`"livedeck" in ${where} must be a mapping (e.g. livedeck: { topics: { taps: { audience: true } } })`);
  const topics = livedeck.topics;
  if (topics === undefined || topics === null) return {};
  if (!isObject(topics)) throw new DeckError(`"livedeck.topics" in ${where} must be a mapping of topic names`);
  const declared: TopicDeclarations = {};
  for (const [name, rule] of Object.entries(topics)) {
    checkName(name, where);
    if (rule !== null && !isObject(rule)) throw new DeckError(`Topic "${name}" in ${where} must be a mapping such as { audience: true }`);
    const audience = rule?.audience ?? false;
    if (typeof audience !== 'boolean') throw new DeckError(`"audience" of topic "${name}" in ${where} must be true or false`);
    declared[name] = { audience };
  }
  return declared;
}

/**
 * An HTML deck's `data-livedeck-topics="taps:audience status"` on any element (the `.reveal`
 * div, say): names separated by spaces or commas; `:audience` lets phones publish.
 */
export function topicsFromAttribute(doc: Document, display: string): TopicDeclarations {
  const declared: TopicDeclarations = {};
  for (const el of doc.querySelectorAll('[data-livedeck-topics]')) {
    for (const item of (el.getAttribute('data-livedeck-topics') ?? '').split(/[\s,]+/).filter((i) => i !== '')) {
      const [name = '', rule, ...rest] = item.split(':');
      checkName(name, display);
      if (rest.length > 0 || (rule !== undefined && rule !== 'audience')) {
        throw new DeckError(`data-livedeck-topics in ${display}: "${item}" should be "name" or "name:audience"`);
      }
      declared[name] = { audience: rule === 'audience' || declared[name]?.audience === true };
    }
  }
  return declared;
}
