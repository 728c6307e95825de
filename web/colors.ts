// Colours shared by the views. One diverging map for everything signed: class 0 and negative
// values blue, class 1 and positive values orange, 0 white (TensorFlow Playground's convention).
export type Rgb = [number, number, number];

export const BLUE: Rgb = [37, 99, 235];
export const ORANGE: Rgb = [234, 88, 12];

export function css([r, g, b]: Rgb, alpha = 1): string {
  return alpha === 1 ? `rgb(${r}, ${g}, ${b})` : `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** Blend toward white: t = 0 gives white, t = 1 the colour. */
export function tint([r, g, b]: Rgb, t: number): Rgb {
  return [255 + (r - 255) * t, 255 + (g - 255) * t, 255 + (b - 255) * t];
}

/** v in [-1, 1] → blue (negative) … white (0) … orange (positive). */
export function diverging(v: number): Rgb {
  return tint(v < 0 ? BLUE : ORANGE, Math.min(1, Math.abs(v)));
}

/** A class index or regression target as a signed value for `diverging`. */
export function targetValue(y: number, classification: boolean): number {
  return classification ? (y === 0 ? -1 : 1) : Math.max(-1, Math.min(1, y));
}
