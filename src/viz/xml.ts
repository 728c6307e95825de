// Escaping for the SVG writers (text and attribute values).

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** A number short enough for SVG coordinates. */
export function px(x: number): string {
  return String(Math.round(x * 100) / 100);
}
