/** Word-cloud normalisation, shared: the server counts words in this form, the phone previews it. */
import { cleanLine } from './qa.ts';

/**
 * The form a word is counted and shown in: compatibility-normalised (full-width letters and
 * ligatures fold to plain ones), control characters dropped, spaces collapsed, trimmed, lower case.
 */
export function normalizeWord(word: string): string {
  return cleanLine(word.normalize('NFKC')).toLocaleLowerCase('en');
}
