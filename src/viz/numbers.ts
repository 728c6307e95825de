// Number and array formatting shared by the graph labels, explain and profile. Numbers use the
// ASCII minus so that printed derivations can be parsed back (tests compare them with .grad).

/** x with `digits` significant digits, trailing zeros dropped, -0 printed as 0. */
export function fmtNum(x: number, digits = 4): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Inf' : '-Inf';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-4) {
    const [m, e] = x.toExponential(digits - 1).split('e');
    return `${stripZeros(m)}e${e.replace('+', '')}`;
  }
  const s = stripZeros(x.toPrecision(digits));
  return s === '-0' ? '0' : s;
}

function stripZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** Nested brackets in row-major order: 3 → "3", [2] → "[1, 2]", [2, 2] → "[[1, 2], [3, 4]]". */
export function fmtArray(values: ArrayLike<number>, shape: readonly number[], digits = 4): string {
  if (shape.length === 0) return fmtNum(values[0], digits);
  const build = (axis: number, offset: number, stride: number): string => {
    const n = shape[axis];
    const inner = n === 0 ? 0 : stride / n;
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      parts.push(axis === shape.length - 1 ? fmtNum(values[offset + i], digits) : build(axis + 1, offset + i * inner, inner));
    }
    return `[${parts.join(', ')}]`;
  };
  let size = 1;
  for (const s of shape) size *= s;
  return build(0, 0, size);
}

export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * LaTeX for a value as the notes write it: a vector is a column (pmatrix), a matrix keeps its
 * rows, a scalar is bare.
 */
export function texArray(values: ArrayLike<number>, shape: readonly number[], digits = 4): string {
  if (shape.length === 0) return fmtNum(values[0], digits);
  if (shape.length === 1) {
    return `\\begin{pmatrix} ${Array.from(values, (v) => fmtNum(v, digits)).join(' \\\\ ')} \\end{pmatrix}`;
  }
  if (shape.length === 2) {
    const [r, c] = shape;
    const rows: string[] = [];
    for (let i = 0; i < r; i++) {
      const row: string[] = [];
      for (let j = 0; j < c; j++) row.push(fmtNum(values[i * c + j], digits));
      rows.push(row.join(' & '));
    }
    return `\\begin{pmatrix} ${rows.join(' \\\\ ')} \\end{pmatrix}`;
  }
  return `\\texttt{${fmtArray(values, shape, digits)}}`;
}

/** A one-line summary of many values: all of them when few, else range and mean. */
export function summarize(values: ArrayLike<number>, shape: readonly number[], digits = 3, maxShown = 6): string {
  if (values.length <= maxShown) return fmtArray(values, shape, digits);
  let lo = Infinity, hi = -Infinity, sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    sum += v;
  }
  return `${fmtNum(lo, digits)}…${fmtNum(hi, digits)} μ=${fmtNum(sum / values.length, digits)}`;
}

/** Bytes in binary units (the memory report). */
export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${fmtNum(n / 1024, 3)} KiB`;
  if (n < 1024 ** 3) return `${fmtNum(n / 1024 ** 2, 3)} MiB`;
  return `${fmtNum(n / 1024 ** 3, 3)} GiB`;
}

/** FLOP counts with SI prefixes. */
export function fmtCount(n: number): string {
  if (n < 1e3) return String(n);
  if (n < 1e6) return `${fmtNum(n / 1e3, 3)}k`;
  if (n < 1e9) return `${fmtNum(n / 1e6, 3)}M`;
  return `${fmtNum(n / 1e9, 3)}G`;
}
