/**
 * The theme's web fonts, loaded only after the first slide is on screen. They are most of a
 * theme's bytes (~430 KB gzipped for black/white); on a phone on venue Wi-Fi they would hold
 * the first slide back by seconds. Until they arrive the theme's fallback stack shows, then
 * font-display: swap puts them in place.
 */
export function loadFontsLater(url: string | undefined = document.body.dataset.fonts): void {
  if (!url) return;
  const load = () => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = url;
    document.head.append(link);
  };
  // Two frames: the first slide has been laid out and painted before the download starts.
  requestAnimationFrame(() => requestAnimationFrame(load));
}
