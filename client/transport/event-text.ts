/** One event of a text/event-stream body (a long-poll answer is one, ended). */
export interface EventText {
  id: number | null;
  event: string;
  data: string;
}

/** The events in a complete event-stream text (WHATWG HTML, "Parsing an event stream", for the fields livedeck sends). */
export function parseEventText(text: string): EventText[] {
  const events: EventText[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    let id: number | null = null;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon === 0) continue;
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
      if (field === 'id') id = Number(value);
      else if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) events.push({ id, event, data: data.join('\n') });
  }
  return events;
}
