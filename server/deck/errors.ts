/**
 * The one error the deck loader throws for anything the deck author can fix.
 * The message is a single user-facing line, printed as is by the CLI.
 */
export class DeckError extends Error {
  override name = 'DeckError';
}
