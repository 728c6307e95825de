// FNV-1a over a canvas's pixels: a cheap fingerprint the browser test compares before and after
// training to see that the picture changed (exact pixels differ across GPUs, so only compare a
// page with itself).
export function canvasChecksum(ctx: CanvasRenderingContext2D): string {
  const { width, height } = ctx.canvas;
  const px = ctx.getImageData(0, 0, width, height).data;
  let h = 0x811c9dc5;
  for (let i = 0; i < px.length; i++) {
    h ^= px[i];
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
