/**
 * Instance colours. Each instance starts from the palette entry of its `id` (so the same object
 * gets the same colour run after run), and moves on along the palette while that colour is too
 * close to the image under its own mask (the mask's mean colour): a blue shirt is never painted
 * blue. Distances are "redmean" weighted RGB, a cheap stand-in for perceptual distance.
 */
export type Rgb = readonly [number, number, number];

/** Vivid, well-separated hues (Okabe–Ito and Tableau picks), bright and dark ones alternating. */
export const PALETTE: readonly Rgb[] = [
  [0, 114, 178], [230, 159, 0], [0, 158, 115], [204, 51, 153], [86, 180, 233], [213, 94, 0],
  [240, 228, 66], [148, 103, 189], [0, 200, 200], [220, 20, 60], [120, 200, 40], [255, 110, 180],
];

/** Below this distance a colour does not stand out against what is under it. */
export const MIN_CONTRAST = 170;

/** Perceptually weighted RGB distance ("redmean"), 0…~765. */
export function colorDistance(a: Rgb, b: Rgb): number {
  const rm = (a[0] + b[0]) / 2;
  const dr = a[0] - b[0], dg = a[1] - b[1], db = a[2] - b[2];
  return Math.sqrt((2 + rm / 256) * dr * dr + 4 * dg * dg + (2 + (255 - rm) / 256) * db * db);
}

/**
 * The colour of instance `id` over pixels whose mean colour is `under`: the id's own palette
 * entry if it contrasts enough, else the next one along the palette that does, else the one
 * with the most contrast.
 */
export function colorFor(id: number, under?: Rgb): Rgb {
  const n = PALETTE.length;
  const start = (((id - 1) % n) + n) % n;
  if (!under) return PALETTE[start];
  let best = PALETTE[start];
  for (let k = 0; k < n; k++) {
    const c = PALETTE[(start + k) % n];
    const d = colorDistance(c, under);
    if (d >= MIN_CONTRAST) return c;
    if (d > colorDistance(best, under)) best = c;
  }
  return best;
}

/** Black or white, whichever reads better on `c` (for tags and numbers drawn on the colour). */
export function inkOn(c: Rgb): string {
  const lum = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  return lum > 140 ? '#111' : '#fff';
}

/** Mean colour of RGBA `pixels` where `mask` (same size, 0/1) is set; undefined for an empty mask. */
export function meanUnder(pixels: Uint8ClampedArray, mask: Uint8Array): Rgb | undefined {
  let r = 0, g = 0, b = 0, n = 0;
  // every 3rd pixel is plenty for a mean and keeps big masks cheap
  for (let i = 0; i < mask.length; i += 3) {
    if (!mask[i]) continue;
    r += pixels[i * 4];
    g += pixels[i * 4 + 1];
    b += pixels[i * 4 + 2];
    n++;
  }
  return n ? [r / n, g / n, b / n] : undefined;
}

export function css(c: Rgb, alpha = 1): string {
  return alpha === 1 ? `rgb(${c[0]} ${c[1]} ${c[2]})` : `rgb(${c[0]} ${c[1]} ${c[2]} / ${alpha})`;
}
