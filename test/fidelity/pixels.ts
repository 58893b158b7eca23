import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

/**
 * pixelmatch's per-pixel colour threshold (YIQ distance, 0..1). 0.1 is its default: it ignores
 * the faint differences of antialiased glyph edges and subpixel placement, while a missing
 * word, a wrong colour or a shifted block still counts.
 */
export const PIXEL_THRESHOLD = 0.1;

export interface PixelDiff {
  /** Share of pixels that differ, in percent of the whole image. */
  percent: number;
  width: number;
  height: number;
  /** The diff image (red where they differ), encoded as PNG. */
  diffPng: Buffer;
}

export function comparePngs(a: Buffer, b: Buffer): PixelDiff {
  const imgA = PNG.sync.read(a);
  const imgB = PNG.sync.read(b);
  if (imgA.width !== imgB.width || imgA.height !== imgB.height) {
    throw new Error(`screenshots differ in size: ${imgA.width}×${imgA.height} and ${imgB.width}×${imgB.height}`);
  }
  const { width, height } = imgA;
  const diff = new PNG({ width, height });
  const differing = pixelmatch(imgA.data, imgB.data, diff.data, width, height, { threshold: PIXEL_THRESHOLD });
  return { percent: (100 * differing) / (width * height), width, height, diffPng: PNG.sync.write(diff) };
}

/** Images of equal height, left to right, in one PNG (one file to open per slide). */
function sideBySide(pngs: Buffer[]): Buffer {
  const images = pngs.map((p) => PNG.sync.read(p));
  const height = Math.max(...images.map((i) => i.height));
  const out = new PNG({ width: images.reduce((w, i) => w + i.width, 0), height });
  let x = 0;
  for (const img of images) {
    PNG.bitblt(img, out, 0, 0, img.width, img.height, x, 0);
    x += img.width;
  }
  return PNG.sync.write(out);
}

/**
 * Writes livedeck's screenshot, reveal.js's screenshot and their diff, left to right, into
 * `dir/<name>.png`, and returns that path.
 */
export async function saveDiff(dir: string, name: string, livedeck: Buffer, reference: Buffer, diff: Buffer): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await writeFile(file, sideBySide([livedeck, reference, diff]));
  return file;
}
