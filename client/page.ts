/** Facts the server wrote into the page shell (all public). */
export function pageInfo(): { talk: string; joinUrl: string } {
  return { talk: document.body.dataset.talk ?? '', joinUrl: document.body.dataset.joinUrl ?? '' };
}
