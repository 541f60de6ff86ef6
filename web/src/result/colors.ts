/**
 * Instance colours: a fixed palette of well-separated hues (Tableau 10 + extras), assigned by
 * score rank so the best instance is always the same colour.
 */
export type Rgb = readonly [number, number, number];

const PALETTE: readonly Rgb[] = [
  [31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189],
  [140, 86, 75], [227, 119, 194], [188, 189, 34], [23, 190, 207], [127, 127, 127],
  [0, 92, 49], [255, 204, 0], [153, 0, 153], [0, 153, 255], [255, 80, 5], [102, 51, 0],
];

export function colorFor(rank: number): Rgb {
  return PALETTE[((rank % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

export function css(c: Rgb, alpha = 1): string {
  return alpha === 1 ? `rgb(${c[0]} ${c[1]} ${c[2]})` : `rgb(${c[0]} ${c[1]} ${c[2]} / ${alpha})`;
}
