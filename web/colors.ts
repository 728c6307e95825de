// Colours shared by the views: one hue per class, and a diverging map for unit outputs.
export type Rgb = [number, number, number];

/** Class colours (blue, orange, green, purple, ...): distinct in print and for common colour-blindness. */
export const CLASS_COLORS: Rgb[] = [
  [37, 99, 235], [234, 88, 12], [22, 163, 74], [147, 51, 234], [219, 39, 119], [8, 145, 178],
];

export function classColor(k: number): Rgb {
  return CLASS_COLORS[k % CLASS_COLORS.length];
}

export function css([r, g, b]: Rgb, alpha = 1): string {
  return alpha === 1 ? `rgb(${r}, ${g}, ${b})` : `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** Blend toward white: t = 0 gives white, t = 1 the colour. */
export function tint([r, g, b]: Rgb, t: number): Rgb {
  return [255 + (r - 255) * t, 255 + (g - 255) * t, 255 + (b - 255) * t];
}

/** v in [-1, 1] → blue (negative) … white (0) … orange (positive). */
export function diverging(v: number): Rgb {
  const c = v < 0 ? CLASS_COLORS[0] : CLASS_COLORS[1];
  return tint(c, Math.min(1, Math.abs(v)));
}
