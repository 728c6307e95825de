// RFC 4180 tokenizer: text or bytes -> header + rows of strings, each row with the 1-based line it
// starts on, so that later errors can point at the right place. Browser-safe (no node imports).
import { ParseError } from '../errors.js';

export interface CsvReadOptions {
  /** The name used in error messages (a file path, a URL, ...). Default '<csv>'. */
  source?: string;
  /** Field separator, one character. Default ','. */
  delimiter?: string;
}

export interface CsvTable {
  source: string;
  delimiter: string;
  header: string[];
  /** 1-based line of the header row. */
  headerLine: number;
  rows: string[][];
  /** 1-based line on which each row starts (rows may span lines inside quotes). */
  lines: number[];
}

/** Bytes to text: UTF-8, a leading BOM dropped, invalid sequences refused with the byte offset. */
export function decodeText(input: string | Uint8Array, source = '<csv>'): string {
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      // Decode leniently to find the first replacement character: its line and byte offset.
      const loose = new TextDecoder('utf-8').decode(input);
      const at = Math.max(0, loose.indexOf('\uFFFD'));
      const prefix = loose.slice(0, at);
      const line = prefix.split('\n').length;
      const offset = new TextEncoder().encode(prefix).length;
      throw new ParseError(`${source}:${line}: not valid UTF-8 text (byte ${offset})`, source, line, undefined, offset);
    }
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Split CSV text into records. Quoted fields may hold delimiters, quotes ("") and line breaks;
 * lines end in LF, CRLF or CR; blank lines are skipped. The first record is the header.
 */
export function readCsv(input: string | Uint8Array, opts: CsvReadOptions = {}): CsvTable {
  const source = opts.source ?? '<csv>';
  const delim = opts.delimiter ?? ',';
  if (delim.length !== 1 || delim === '"' || delim === '\n' || delim === '\r') {
    throw new ParseError(`${source}: delimiter must be one character other than a quote or line break, got ${JSON.stringify(delim)}`, source);
  }
  const text = decodeText(input, source);
  const records: string[][] = [];
  const lines: number[] = [];
  const D = delim.charCodeAt(0), QUOTE = 34, LF = 10, CR = 13;
  const isPad = (ch: number): boolean => (ch === 32 || ch === 9) && ch !== D; // space, tab
  const code = (at: number): number => text.charCodeAt(at); // NaN past the end
  let line = 1, lineStart = 0, i = 0;
  const n = text.length;

  while (i < n) {
    const recordLine = line;
    const fields: string[] = [];
    for (;;) {
      // One field, starting at i. Spaces before an opening quote or after a closing one are layout.
      let k = i;
      while (k < n && isPad(code(k))) k++;
      if (code(k) === QUOTE) {
        i = k;
        const openLine = line, openCol = i - lineStart + 1;
        let value = '';
        let j = i + 1;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) throw new ParseError(`${source}:${openLine}:${openCol}: quoted field is never closed`, source, openLine, openCol, i);
          value += text.slice(j, q);
          // Line breaks inside quotes still advance the line counter for later messages.
          for (let c = j; c < q; c++) {
            const ch = code(c);
            if (ch === LF || (ch === CR && code(c + 1) !== LF)) { line++; lineStart = c + 1; }
          }
          if (code(q + 1) === QUOTE) { value += '"'; j = q + 2; continue; }
          i = q + 1;
          break;
        }
        while (i < n && isPad(code(i))) i++;
        const next = code(i);
        if (i < n && next !== D && next !== LF && next !== CR) {
          const col = i - lineStart + 1;
          throw new ParseError(`${source}:${line}:${col}: unexpected ${JSON.stringify(text[i])} after a closing quote (expected ${JSON.stringify(delim)} or end of line)`, source, line, col, i);
        }
        fields.push(value);
      } else {
        let j = i;
        for (; j < n; j++) {
          const ch = code(j);
          if (ch === D || ch === LF || ch === CR) break;
          if (ch === QUOTE) {
            const col = j - lineStart + 1;
            throw new ParseError(`${source}:${line}:${col}: quote inside an unquoted field (quote the whole field and double inner quotes)`, source, line, col, j);
          }
        }
        fields.push(text.slice(i, j));
        i = j;
      }
      if (code(i) === D) { i++; continue; }
      break;
    }
    // End of record: consume one line break.
    if (code(i) === CR) i++;
    if (code(i) === LF) i++;
    line++;
    lineStart = i;
    if (fields.length === 1 && fields[0].trim() === '') continue; // blank line
    records.push(fields);
    lines.push(recordLine);
  }

  if (records.length === 0) throw new ParseError(`${source}: empty file (a header row is required)`, source, 1);
  const header = records[0].map((h) => h.trim());
  const seen = new Map<string, number>();
  header.forEach((h, c) => {
    if (h === '') throw new ParseError(`${source}:${lines[0]}: header column ${c + 1} has no name`, source, lines[0], c + 1);
    const prev = seen.get(h);
    if (prev !== undefined) {
      throw new ParseError(`${source}:${lines[0]}: header names column "${h}" twice (columns ${prev + 1} and ${c + 1})`, source, lines[0], h);
    }
    seen.set(h, c);
  });
  return { source, delimiter: delim, header, headerLine: lines[0], rows: records.slice(1), lines: lines.slice(1) };
}
