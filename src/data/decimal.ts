// Plain decimal numbers read straight from bytes, exactly as parseFloat reads them (bit for bit),
// without a string per number. The CSV tokenizer calls this once per unquoted field, so it is the
// inner loop of every CSV pass. Browser-safe.

const SPACE = 32, TAB = 9;
/** 2^53: below it every integer is an exact double. */
const EXACT_INT = 9007199254740992;
/** Powers of ten that are exact doubles (10^22 is the largest). */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Bytes known to be ASCII as a string. */
export function asciiString(b: Uint8Array, s: number, e: number): string {
  // Short cells (the usual category, class name or number) without a subarray and an apply.
  switch (e - s) {
    case 0: return '';
    case 1: return String.fromCharCode(b[s]);
    case 2: return String.fromCharCode(b[s], b[s + 1]);
    case 3: return String.fromCharCode(b[s], b[s + 1], b[s + 2]);
    case 4: return String.fromCharCode(b[s], b[s + 1], b[s + 2], b[s + 3]);
    default: break;
  }
  if (e - s < 4096) return String.fromCharCode.apply(null, b.subarray(s, e) as unknown as number[]);
  let out = '';
  for (let i = s; i < e; i += 4096) out += String.fromCharCode.apply(null, b.subarray(i, Math.min(e, i + 4096)) as unknown as number[]);
  return out;
}

/**
 * The number in b[s, e) when it is a plain decimal, `[+-]digits[.digits][(e|E)[+-]digits]` (at
 * least one mantissa digit, spaces and tabs around allowed), else NaN: the caller then applies the
 * full rules to the text. The result is parseFloat's, bit for bit (±0, subnormals, overflow to
 * ±Infinity included).
 *
 * Fast path (Clinger): when the digits form an integer m below 2^53 and the decimal exponent q is
 * within ±22, m and 10^|q| are both exact doubles, so the one multiplication or division m·10^q
 * is correctly rounded, which is what parseFloat returns. Any other plain decimal (long mantissas,
 * large exponents) is handed to Number() on its text, which rounds correctly too.
 */
export function parseDecimal(b: Uint8Array, s: number, e: number): number {
  while (s < e && (b[s] === SPACE || b[s] === TAB)) s++;
  while (e > s && (b[e - 1] === SPACE || b[e - 1] === TAB)) e--;
  if (s === e) return NaN;
  let i = s, neg = false;
  const first = b[i];
  if (first === 45 || first === 43) { neg = first === 45; i++; }
  let m = 0, digits = 0, scale = 0, c = 0;
  for (; i < e; i++) {
    c = b[i] - 48;
    if (c < 0 || c > 9) break;
    digits++;
    m = m * 10 + c;
  }
  if (i < e && b[i] === 46) {
    for (i++; i < e; i++) {
      c = b[i] - 48;
      if (c < 0 || c > 9) break;
      digits++;
      m = m * 10 + c;
      scale--;
    }
  }
  if (digits === 0) return NaN;
  if (i < e && (b[i] === 101 || b[i] === 69)) {
    i++;
    let eneg = false;
    if (i < e && (b[i] === 45 || b[i] === 43)) { eneg = b[i] === 45; i++; }
    let x = 0, xd = 0;
    for (; i < e; i++) {
      c = b[i] - 48;
      if (c < 0 || c > 9) break;
      if (x < 100000) x = x * 10 + c; // beyond this every double is 0 or Infinity anyway
      xd++;
    }
    if (xd === 0) return NaN;
    scale += eneg ? -x : x;
  }
  if (i !== e) return NaN;
  // m grew monotonically, so m < 2^53 means every partial m*10+c above was exact.
  if (m < EXACT_INT && scale <= 22 && scale >= -22) {
    const v = scale >= 0 ? m * POW10[scale] : m / POW10[-scale];
    return neg ? -v : v;
  }
  return Number(asciiString(b, s, e));
}
