// A streaming RFC 4180 tokenizer over bytes: chunks go in, records come out as field offsets into
// the bytes (no string per cell, no array per row). A record cut by a chunk boundary is carried
// over to the next chunk, so memory is one chunk plus the longest record. Browser-safe.
//
// Fields are read as numbers straight from the bytes when they are plain decimals; only text
// cells (categories, class names, the header) are decoded to strings.
import { ParseError } from '../errors.js';
import { isMissing, parseNumber } from './csv-schema.js';
import { asciiString, parseDecimal } from './decimal.js';

/** What a cell holds. */
export const MISSING = 0, NUMBER = 1, TEXT = 2;
export type CellKind = typeof MISSING | typeof NUMBER | typeof TEXT;

/** One record of a table: CSV rows and SQL result rows read through the same interface. */
export interface TableRow {
  /** 1-based line the record starts on (CSV), or 1-based row number (SQL). */
  readonly line: number;
  /** Number of fields. */
  readonly count: number;
  /** Classify field i; for NUMBER the value is left in `value`. */
  cell(i: number): CellKind;
  /** The number found by the last cell() call that returned NUMBER. */
  value: number;
  /** Field i as trimmed text. */
  text(i: number): string;
  /**
   * Optional fast lane: field i's number where cell(i) would return NUMBER with that value, else
   * NaN (then cell(i) decides). Lets the passes skip a call per field for plain numbers.
   */
  readonly num?: Float64Array;
  /** 1-based character column where field i starts (0 when the source has no columns). */
  at(i: number): number;
}

const QUOTE = 34, LF = 10, CR = 13, SPACE = 32, TAB = 9;
const FLOAT32_MAX = 3.4028234663852886e38;
/** 2^53 and the exact powers of ten: the inline number path's exactness conditions (see parseDecimal). */
const EXACT_INT = 9007199254740992;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Whether v overflows float32 storage (finite as a double, ±Infinity as float32). */
export function overflowsFloat32(v: number): boolean {
  return v > FLOAT32_MAX || v < -FLOAT32_MAX ? Math.fround(v) === Infinity || Math.fround(v) === -Infinity : false;
}

const SMALL_INTS = Array.from({ length: 1000 }, (_, i) => String(i));

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The record handed to onRecord: valid only during the call (its bytes are reused). */
export class CsvRecord implements TableRow {
  line = 0;
  count = 0;
  value = 0;
  buf: Uint8Array = new Uint8Array(0);
  start = new Int32Array(16);
  end = new Int32Array(16);
  col = new Int32Array(16);
  /** 1 when the field was quoted (its text may hold doubled quotes). */
  quoted = new Uint8Array(16);
  /**
   * Field i's number when it is an unquoted plain decimal (parsed as the record was tokenized),
   * else NaN. The passes read numbers from here; cell() covers every other case.
   */
  num = new Float64Array(16);

  constructor(readonly source: string) {}

  grow(): void {
    const n = this.start.length * 2;
    const s = new Int32Array(n), e = new Int32Array(n), c = new Int32Array(n), q = new Uint8Array(n), v = new Float64Array(n);
    s.set(this.start); e.set(this.end); c.set(this.col); q.set(this.quoted); v.set(this.num);
    this.start = s; this.end = e; this.col = c; this.quoted = q; this.num = v;
  }

  cell(i: number): CellKind {
    if (this.quoted[i] === 0) {
      const v = this.num[i];
      if (v === v) { this.value = v; return NUMBER; }
      if (isBlank(this.buf, this.start[i], this.end[i])) return MISSING;
    }
    const t = this.text(i);
    if (isMissing(t)) return MISSING;
    const v = parseNumber(t);
    if (v === undefined) return TEXT;
    this.value = v;
    return NUMBER;
  }

  text(i: number): string {
    const b = this.buf;
    const s = this.start[i], e = this.end[i];
    if (e - s <= 3 && e > s) {
      // 0..999 written plainly (codes, pixels, numeric class labels): one shared string each.
      let v = 0, k = s;
      for (; k < e; k++) { const c = b[k] - 48; if (c < 0 || c > 9) break; v = v * 10 + c; }
      if (k === e && (b[s] !== 48 || e - s === 1)) return SMALL_INTS[v];
    }
    let ascii = true;
    for (let k = s; k < e; k++) if (b[k] >= 0x80) { ascii = false; break; }
    let t: string;
    if (ascii) t = asciiString(b, s, e);
    else {
      try {
        t = utf8.decode(b.subarray(s, e));
      } catch {
        throw new ParseError(`${this.source}:${this.line}:${this.col[i]}: not valid UTF-8 text`, this.source, this.line, this.col[i]);
      }
    }
    if (this.quoted[i]) t = t.replace(/""/g, '"');
    return t.trim();
  }

  at(i: number): number {
    return this.col[i];
  }
}

export interface CsvTokenizerOptions {
  source?: string;
  delimiter?: string;
}

/**
 * Push bytes in, get each complete record through onRecord (blank lines skipped). Quoted fields may
 * hold delimiters, doubled quotes and line breaks; lines end in LF, CRLF or CR; a leading UTF-8 BOM
 * is dropped. Call finish() after the last chunk.
 */
export class CsvTokenizer {
  readonly source: string;
  readonly delimiter: string;
  private readonly rec: CsvRecord;
  private carry: Uint8Array | null = null;
  private scratch = new Uint8Array(0);
  private line = 1;
  private started = false;
  /** Whether the inline number path may run: not when the delimiter is a digit, '.' or '-'. */
  private readonly inline: boolean;

  constructor(opts: CsvTokenizerOptions, private readonly onRecord: (r: CsvRecord) => void) {
    this.source = opts.source ?? '<csv>';
    const delim = opts.delimiter ?? ',';
    if (delim.length !== 1 || delim === '"' || delim === '\n' || delim === '\r' || delim.charCodeAt(0) > 127) {
      throw new ParseError(`${this.source}: delimiter must be one ASCII character other than a quote or line break, got ${JSON.stringify(delim)}`, this.source);
    }
    this.delimiter = delim;
    this.inline = !/[0-9.-]/.test(delim);
    this.rec = new CsvRecord(this.source);
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    let buf = chunk;
    if (this.carry && this.carry.length > 0) {
      // One scratch buffer, reused, holds the carried-over record and the new chunk.
      const need = this.carry.length + chunk.length;
      if (this.scratch.length < need) this.scratch = new Uint8Array(Math.max(need, 2 * this.scratch.length));
      buf = this.scratch.subarray(0, need);
      buf.set(this.carry);
      buf.set(chunk, this.carry.length);
    }
    this.carry = null;
    const used = this.scan(buf, false);
    if (used < buf.length) this.carry = buf.slice(used);
  }

  finish(): void {
    if (this.carry && this.carry.length > 0) this.scan(this.carry, true);
    this.carry = null;
  }

  /** Records in buf from 0; returns how many bytes were consumed (a trailing partial record is not). */
  private scan(buf: Uint8Array, final: boolean): number {
    const D = this.delimiter.charCodeAt(0), n = buf.length, rec = this.rec, inline = this.inline;
    let i = 0;
    if (!this.started) {
      if (n < 3 && !final && buf[0] === 0xef) return 0;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = 3;
      this.started = true;
    }
    rec.buf = buf;
    for (;;) {
      if (i >= n) return n;
      const recordStart = i, startLine = this.line;
      let line = startLine, lineStart = i;
      let f = 0;
      let complete = false;
      fields: for (;;) {
        if (f === rec.start.length) rec.grow();
        let k = i;
        while (k < n && (buf[k] === SPACE || buf[k] === TAB) && buf[k] !== D) k++;
        if (k < n && buf[k] === QUOTE) {
          const openLine = line, openCol = k - lineStart + 1;
          let j = k + 1;
          for (;;) {
            while (j < n && buf[j] !== QUOTE) {
              const ch = buf[j];
              if (ch === LF || (ch === CR && (j + 1 >= n ? final : buf[j + 1] !== LF))) { line++; lineStart = j + 1; }
              j++;
            }
            if (j >= n) {
              if (!final) break fields; // the closing quote is in a later chunk
              this.fail(`quoted field is never closed`, openLine, openCol, k);
            }
            if (j + 1 >= n && !final) break fields; // a doubled quote may straddle the chunks
            if (buf[j + 1] === QUOTE) { j += 2; continue; }
            break;
          }
          rec.start[f] = k + 1; rec.end[f] = j; rec.quoted[f] = 1; rec.col[f] = openCol; rec.num[f] = NaN;
          i = j + 1;
          while (i < n && (buf[i] === SPACE || buf[i] === TAB) && buf[i] !== D) i++;
          if (i < n && buf[i] !== D && buf[i] !== LF && buf[i] !== CR) {
            const t = buf[i] < 0x80 ? String.fromCharCode(buf[i]) : 'a non-ASCII character';
            this.fail(`unexpected ${JSON.stringify(t)} after a closing quote (expected ${JSON.stringify(this.delimiter)} or end of line)`, line, i - lineStart + 1, i);
          }
        } else {
          // Unquoted. The common case, [-]digits[.digits] right up to the delimiter, is read as a
          // number on the way (one pass over its bytes, exact as parseDecimal explains); anything
          // else is scanned to its end and handed to parseDecimal.
          let j = k, m = 0, digits = 0, scale = 0, neg = false;
          let ch = inline && j < n ? buf[j] : -1;
          if (ch === 45) { neg = true; ch = ++j < n ? buf[j] : -1; }
          while (ch >= 48 && ch <= 57) { m = m * 10 + (ch - 48); digits++; ch = ++j < n ? buf[j] : -1; }
          if (ch === 46) {
            ch = ++j < n ? buf[j] : -1;
            while (ch >= 48 && ch <= 57) { m = m * 10 + (ch - 48); digits++; scale--; ch = ++j < n ? buf[j] : -1; }
          }
          let v = NaN;
          if (digits > 0 && (ch === D || ch === LF || ch === CR) && m < EXACT_INT && scale >= -22) {
            v = scale === 0 ? m : m / POW10[-scale];
            if (neg) v = -v;
          } else {
            for (; j < n; j++) {
              ch = buf[j];
              if (ch === D || ch === LF || ch === CR) break;
              if (ch === QUOTE) this.fail('quote inside an unquoted field (quote the whole field and double inner quotes)', line, j - lineStart + 1, j);
            }
            v = parseDecimal(buf, k, j);
          }
          rec.start[f] = i; rec.end[f] = j; rec.quoted[f] = 0; rec.col[f] = i - lineStart + 1;
          rec.num[f] = v;
          i = j;
        }
        f++;
        if (i < n && buf[i] === D) { i++; continue; }
        if (i >= n && !final) break; // the record may go on in the next chunk
        // End of record: one line break.
        if (i < n && buf[i] === CR) {
          if (i + 1 >= n && !final) break; // CR LF may straddle the chunks
          i++;
        }
        if (i < n && buf[i] === LF) i++;
        complete = true;
        break;
      }
      if (!complete && !final) return recordStart;
      this.line = line + 1;
      if (f === 1 && rec.quoted[0] === 0 && isBlank(buf, rec.start[0], rec.end[0])) continue;
      rec.line = startLine;
      rec.count = f;
      this.onRecord(rec);
    }
  }

  private fail(what: string, line: number, col: number, _offset: number): never {
    throw new ParseError(`${this.source}:${line}:${col}: ${what}`, this.source, line, col);
  }
}

function isBlank(b: Uint8Array, s: number, e: number): boolean {
  for (let k = s; k < e; k++) if (b[k] !== SPACE && b[k] !== TAB) return false;
  return true;
}
