// Parquet (and anything else DuckDB reads) through DuckDB's Node API, an optional dependency
// loaded only when such a source is used. DuckDB does the file formats, globs over many files and
// SQL; nabla reads the result in chunks of column vectors through the same schema scan and row
// encoder as CSV, so a query's result can be loaded in memory or streamed like a CSV file.
//
// Numeric columns (integers of any width, including BIGINT, which the API returns as BigInt;
// decimals; floats; booleans) are cast to DOUBLE by DuckDB, others to VARCHAR, so no BigInt reaches
// JavaScript. When every feature is numeric, the passes that encode rows read the features as
// FLOAT vectors and copy them a column at a time (the row encoder is then used per row only for
// the label and for rows with a NULL or NaN), while DuckDB already fetches the next chunk. A FLOAT
// is always the rounding of the value's double (what a CSV gives): one cast where the value is
// exact as a double, two (through DOUBLE) where it may not be.
import { availableParallelism } from 'node:os';
import { ConfigError, ParseError } from '../errors.js';
import { encodedWidth, featureNamesOf, isMissing, parseNumber, type CsvSchema, type SchemaOptions, type TableHeader } from './csv-schema.js';
import { MISSING, NUMBER, TEXT, type CellKind, type TableRow } from './csv-tokenizer.js';
import { RowEncoder } from './row-encoder.js';
import { SchemaScanner } from './table-scan.js';
import { BlockWriter, StreamingTable, type RowBlock } from './stream.js';
import { toDataset, type CsvResult } from './csv.js';
import { inMemoryBytes } from './budget.js';
import { checkBudget, defaultMemoryBudget, type LoadOptions } from './stream-files.js';

// The slice of @duckdb/node-api used here, typed locally so that nabla builds without it.
interface DuckVector { items?: ArrayLike<number>; validity?: { data: BigUint64Array | null; itemValid(i: number): boolean }; getItem(i: number): unknown }
interface DuckChunk { rowCount: number; getColumnVector(i: number): DuckVector }
interface DuckResult { fetchChunk(): Promise<DuckChunk | null> }
interface DuckRows { getRowObjects(): Record<string, unknown>[] }
interface DuckConnection { stream(sql: string): Promise<DuckResult>; runAndReadAll(sql: string): Promise<DuckRows>; run(sql: string): Promise<unknown>; closeSync?(): void; disconnectSync?(): void }
interface DuckInstance { connect(): Promise<DuckConnection>; closeSync?(): void }
interface DuckModule { DuckDBInstance: { create(path?: string, options?: Record<string, string>): Promise<DuckInstance> } }

const PACKAGE = '@duckdb/node-api';
let loaded: Promise<DuckModule> | undefined;

/** DuckDB's Node API, imported on first use; a clear message when it is not installed. */
export function loadDuckDb(): Promise<DuckModule> {
  loaded ??= (import(PACKAGE) as Promise<DuckModule>).catch((e: unknown) => {
    loaded = undefined;
    throw new ConfigError(`Parquet and SQL sources need DuckDB's Node API, which is not installed here (${(e as Error).message.split('\n')[0]}); `
      + `install it with \`npm install ${PACKAGE}\` (builds exist for Linux x64/arm64, macOS and Windows x64), or convert the data to CSV`);
  });
  return loaded;
}

/** Whether a --data argument is for DuckDB: a Parquet file or glob. */
export function isSqlPath(path: string): boolean {
  return /\.parquet$/i.test(path) || /\.parq$/i.test(path);
}

function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function sqlName(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** Types whose every value is exact as a double. */
const EXACT_IN_DOUBLE = /^(TINYINT|SMALLINT|INTEGER|UTINYINT|USMALLINT|UINTEGER|FLOAT|REAL|DOUBLE|BOOLEAN)$/;
/** Integer types whose values may not be. */
const WIDE_INT = /^(BIGINT|HUGEINT|UBIGINT|UHUGEINT)$/;
const TWO_53 = 9007199254740992;

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|BOOLEAN|DECIMAL(\(.*\))?)$/i;

/** One chunk of a query result, read row by row through the TableRow interface. */
/** A vector's validity bits as 32-bit words (null: every item valid), read without BigInt. */
function validWords(v: DuckVector): Uint32Array | null {
  const data = v.validity?.data;
  return data ? new Uint32Array(data.buffer, data.byteOffset, data.length * 2) : null;
}

/** Whether item r is valid (not NULL) by the words of validWords. */
function valid(words: Uint32Array | null, r: number): boolean {
  return words === null || (words[r >>> 5] & (1 << (r & 31))) !== 0;
}

class ChunkRow implements TableRow {
  line = 0;
  value = 0;
  r = 0;
  private first = 0;
  /** The chunk's column vectors, their number arrays (numeric columns) and validity words. */
  vectors: DuckVector[] = [];
  items: (ArrayLike<number> | null)[] = [];
  valid: (Uint32Array | null)[] = [];
  constructor(readonly count: number, private readonly numeric: boolean[]) {}

  load(chunk: DuckChunk, firstLine: number): void {
    this.first = firstLine;
    this.vectors = this.numeric.map((_, i) => chunk.getColumnVector(i));
    this.items = this.vectors.map((v, i) => (this.numeric[i] && v.items ? v.items : null));
    this.valid = this.vectors.map(validWords);
  }

  cell(i: number): CellKind {
    if (!valid(this.valid[i], this.r)) return MISSING;
    const items = this.items[i];
    if (items) {
      const x = items[this.r];
      if (x !== x) return MISSING;
      this.value = x;
      return NUMBER;
    }
    const raw = this.vectors[i].getItem(this.r);
    if (raw === null || raw === undefined) return MISSING;
    if (typeof raw === 'number') { if (raw !== raw) return MISSING; this.value = raw; return NUMBER; }
    if (typeof raw === 'bigint') { this.value = Number(raw); return NUMBER; }
    const t = String(raw).trim();
    if (isMissing(t)) return MISSING;
    const n = parseNumber(t);
    if (n === undefined) return TEXT;
    this.value = n;
    return NUMBER;
  }

  text(i: number): string {
    if (!valid(this.valid[i], this.r)) return '';
    const items = this.items[i];
    if (items) return String(items[this.r]);
    const raw = this.vectors[i].getItem(this.r);
    return raw === null || raw === undefined ? '' : String(raw).trim();
  }

  seek(r: number): this {
    this.r = r;
    this.line = this.first + r + 1;
    return this;
  }

  at(): number { return 0; }
}

export interface SqlSourceOptions {
  /** A Parquet file or glob ('sales/*.parquet'); the query sees it as the table `data`. */
  data: string;
  /** A query over `data` (default: SELECT * FROM data). */
  sql?: string;
  /**
   * DuckDB's threads (default: the cores less one, at least one). The core left is training's:
   * on a small machine DuckDB's extra threads, mostly waiting for work while a single row group is
   * decoded, took CPU time the training step needed (about 1.4 s per Fashion-MNIST epoch on 2 cores).
   */
  threads?: number;
}

/** A query result DuckDB can produce again on each pass. */
export class SqlSource {
  private constructor(
    readonly name: string,
    readonly head: TableHeader,
    /** Whether column i has a numeric SQL type (read as numbers, not text). */
    readonly numeric: boolean[],
    /** Column i's SQL type, as DESCRIBE names it. */
    readonly types: string[],
    private readonly inner: string,
    private readonly db: DuckInstance,
    private readonly conn: DuckConnection,
  ) {}

  static async open(opts: SqlSourceOptions): Promise<SqlSource> {
    const { DuckDBInstance } = await loadDuckDb();
    const threads = opts.threads ?? Math.max(1, availableParallelism() - 1);
    if (!(Number.isInteger(threads) && threads >= 1)) throw new ConfigError(`sql source: threads must be a positive integer, got ${threads}`);
    const db = await DuckDBInstance.create(':memory:', { threads: String(threads) });
    const conn = await db.connect();
    const name = opts.sql ? `${opts.data} (${opts.sql})` : opts.data;
    try {
      await conn.run(`CREATE VIEW data AS SELECT * FROM read_parquet(${sqlString(opts.data)})`);
      const inner = opts.sql ?? 'SELECT * FROM data';
      const described = (await conn.runAndReadAll(`DESCRIBE ${inner}`)).getRowObjects();
      const names = described.map((r) => String(r.column_name));
      const numeric = described.map((r) => NUMERIC.test(String(r.column_type)));
      const types = described.map((r) => String(r.column_type).toUpperCase());
      return new SqlSource(name, { source: opts.data, header: names, headerLine: 1 }, numeric, types, inner, db, conn);
    } catch (e) {
      if (e instanceof ConfigError || e instanceof ParseError) throw e;
      throw new ParseError(`${name}: ${(e as Error).message.split('\n')[0]}`, opts.data);
    }
  }

  /**
   * The query that reads every column: numeric ones as DOUBLE (exact for the schema scan), others
   * as VARCHAR; `asFloat` names numeric columns to read as FLOAT instead, cast through DOUBLE so
   * that the value is the double's rounding to float32, as storing the DOUBLE in a Float32Array
   * gives (half the bytes per value for DuckDB to produce and for us to read).
   */
  private query(asFloat?: Set<string>): string {
    const cols = this.head.header.map((n, i) => {
      const c = sqlName(n);
      if (!this.numeric[i]) return `CAST(${c} AS VARCHAR) AS ${c}`;
      if (!asFloat?.has(n)) return `CAST(${c} AS DOUBLE) AS ${c}`;
      // One cast where it gives the double's rounding too (a fifth less of DuckDB's time).
      return this.exactInDouble(i) ? `CAST(${c} AS FLOAT) AS ${c}` : `CAST(CAST(${c} AS DOUBLE) AS FLOAT) AS ${c}`;
    });
    return `SELECT ${cols.join(', ')} FROM (${this.inner})`;
  }

  /**
   * 64-bit integer columns whose values, as the schema scan saw them, all lie within ±2^53, where
   * the integer and its double are the same number.
   */
  private readonly small64 = new Set<number>();

  /**
   * Whether column i's values are exact as doubles, so that casting them to FLOAT directly rounds
   * them as casting their doubles does: floats, doubles, integers of up to 32 bits, and 64-bit
   * integers the scan found within ±2^53. (Decimals are cast through DOUBLE.)
   */
  private exactInDouble(i: number): boolean {
    return EXACT_IN_DOUBLE.test(this.types[i]) || this.small64.has(i);
  }

  /** Called by the schema scan with each chunk: note the 64-bit integer columns that stay within ±2^53. */
  noteRanges(row: ChunkRow, rows: number, first: boolean): void {
    for (let i = 0; i < this.types.length; i++) {
      if (!WIDE_INT.test(this.types[i])) continue;
      if (first) this.small64.add(i);
      const items = row.items[i];
      if (!items || !this.small64.has(i)) continue;
      for (let r = 0; r < rows; r++) {
        const v = items[r];
        if (v >= TWO_53 || v <= -TWO_53) { this.small64.delete(i); break; } // NaN (NULL) passes
      }
    }
  }

  /**
   * One pass over the result, a chunk at a time: `rows` rows, each reached by row.seek(r) (valid
   * until the next chunk). The next chunk is already being fetched (DuckDB works in its own
   * threads) while the caller uses this one, so reading overlaps training.
   */
  async *chunks(asFloat?: Set<string>): AsyncGenerator<{ row: ChunkRow; rows: number }> {
    const row = new ChunkRow(this.head.header.length, this.numeric);
    const fail = (e: unknown): never => { throw new ParseError(`${this.name}: ${(e as Error).message.split('\n')[0]}`, this.head.source); };
    let result: DuckResult;
    try { result = await this.conn.stream(this.query(asFloat)); } catch (e) { return fail(e); }
    let line = 0;
    let next = result.fetchChunk();
    try {
      for (;;) {
        let chunk: DuckChunk | null;
        try { chunk = await next; } catch (e) { return fail(e); }
        if (!chunk || chunk.rowCount === 0) break;
        next = result.fetchChunk();
        next.catch(() => undefined); // awaited on the next turn; an abandoned pass must not leave it unhandled
        row.load(chunk, line);
        line += chunk.rowCount;
        yield { row, rows: chunk.rowCount };
      }
    } finally {
      await next.catch(() => undefined); // let the last fetch settle before the connection is reused
    }
  }

  /** One pass over the result: visit each row (valid only during the call). */
  async each(visit: (row: TableRow) => void): Promise<void> {
    for await (const { row, rows } of this.chunks()) {
      for (let r = 0; r < rows; r++) visit(row.seek(r));
    }
  }

  close(): void {
    this.conn.disconnectSync?.();
    this.db.closeSync?.();
  }
}

/** The schema and row count of a query's result (one pass, no rows kept). */
export async function scanSql(source: SqlSource, opts: SchemaOptions = {}): Promise<{ schema: CsvSchema; rows: number }> {
  const scanner = new SchemaScanner(source.head, { ...opts, delimiter: ',' });
  let first = true;
  for await (const { row, rows } of source.chunks()) {
    source.noteRanges(row, rows, first);
    first = false;
    for (let r = 0; r < rows; r++) scanner.add(row.seek(r));
  }
  return { schema: scanner.finish(), rows: scanner.rows };
}

/** A query's result as a Dataset in memory (refused above the memory budget). */
export async function readSql(source: SqlSource, schema: CsvSchema, rows: number, opts: LoadOptions & { name?: string } = {}): Promise<CsvResult> {
  const enc = new RowEncoder(source.head, schema, true);
  checkBudget(source.name, inMemoryBytes(rows, enc.d, enc.k), opts.maxMemory ?? defaultMemoryBudget(), 'stream it (--stream), or raise --max-memory');
  const x = new Float32Array(rows * enc.d), y = new Float32Array(rows * enc.k);
  const columnar = ColumnCopy.of(source, schema);
  let n = 0;
  for await (const { row, rows: m } of source.chunks(columnar?.floats)) {
    if (n + m > rows) throw new ParseError(`${source.name}: the result changed between passes (more than ${rows} rows)`, source.head.source);
    if (columnar) columnar.copy(row, 0, m, enc, x, n * enc.d, y, n * enc.k);
    else for (let r = 0; r < m; r++) enc.encode(row.seek(r), x, (n + r) * enc.d, y, (n + r) * enc.k);
    n += m;
  }
  if (n !== rows) throw new ParseError(`${source.name}: the result changed between passes (${rows} rows, then ${n})`, source.head.source);
  return { dataset: toDataset(schema, x, y, rows, opts.name ?? source.name), schema };
}

/** A query's result streamed from DuckDB every pass. */
export function streamSql(source: SqlSource, schema: CsvSchema, rows: number): StreamingTable {
  const d = encodedWidth(schema), k = schema.labels.length;
  const info = {
    n: rows, d, k, task: schema.task, featureNames: featureNamesOf(schema), name: source.name,
    ...(schema.classNames ? { classNames: [...schema.classNames] } : {}),
  };
  return new StreamingTable(info, () => sqlBlocks(source, schema));
}

async function* sqlBlocks(source: SqlSource, schema: CsvSchema): AsyncGenerator<RowBlock> {
  const enc = new RowEncoder(source.head, schema, true);
  const w = new BlockWriter(enc.d, enc.k);
  const columnar = ColumnCopy.of(source, schema);
  for await (const { row, rows } of source.chunks(columnar?.floats)) {
    if (!columnar) {
      for (let r = 0; r < rows; r++) {
        enc.encode(row.seek(r), w.xs, w.xOffset, w.ys, w.yOffset);
        w.commit();
      }
    } else {
      for (let r0 = 0; r0 < rows;) {
        const m = w.room(rows - r0);
        columnar.copy(row, r0, m, enc, w.xs, w.xOffset, w.ys, w.yOffset);
        w.commitRows(m);
        r0 += m;
      }
    }
    yield* w.take();
  }
  yield* w.take(true);
}

/** Rows per tile of the column-to-row copy: a tile's rows and columns both stay in cache. */
const TILE = 32;

/**
 * Tables whose features are all numeric are encoded a column at a time: each FLOAT column vector
 * is copied into the rows of the block (in tiles), with no call per cell. A row with a NULL or
 * NaN feature is then encoded again by the row encoder, which imputes or refuses it exactly as
 * for a CSV.
 */
class ColumnCopy {
  private readonly bad: Uint8Array = new Uint8Array(TILE);
  private constructor(readonly floats: Set<string>, private readonly feat: number[], private readonly name: string) {}

  static of(source: SqlSource, schema: CsvSchema): ColumnCopy | null {
    if (schema.features.some((f) => f.kind !== 'numeric')) return null;
    const names = schema.features.map((f) => f.name);
    const feat = names.map((n) => source.head.header.indexOf(n));
    if (feat.some((c) => c < 0)) return null; // the row encoder names the missing column
    if (feat.some((c) => !source.numeric[c])) return null; // numbers held as text: parsed per row
    return new ColumnCopy(new Set(names), feat, source.name);
  }

  /** Rows r0 .. r0+m of the chunk into x (rows of d) and y from xo and yo. */
  copy(row: ChunkRow, r0: number, m: number, enc: RowEncoder, x: Float32Array, xo: number, y: Float32Array, yo: number): void {
    const { feat, bad } = this, d = feat.length;
    const cols = feat.map((c) => row.items[c]);
    const valid = feat.map((c) => row.valid[c]);
    if (cols.some((c) => !(c instanceof Float32Array))) throw new ParseError(`${this.name}: DuckDB returned a numeric feature column that is not FLOAT`, this.name);
    const floats = cols as Float32Array[];
    for (let t0 = 0; t0 < m; t0 += TILE) {
      const tn = Math.min(TILE, m - t0);
      bad.fill(0);
      let anyBad = false;
      for (let j = 0; j < d; j++) {
        const col = floats[j], words = valid[j];
        let at = xo + t0 * d + j;
        for (let r = r0 + t0, end = r0 + t0 + tn; r < end; r++, at += d) {
          const v = col[r];
          x[at] = v;
          if (v !== v || (words !== null && (words[r >>> 5] & (1 << (r & 31))) === 0)) { bad[r - r0 - t0] = 1; anyBad = true; }
        }
      }
      for (let i = 0; i < tn; i++) {
        const r = r0 + t0 + i;
        if (anyBad && bad[i]) enc.encode(row.seek(r), x, xo + (t0 + i) * d, y, yo + (t0 + i) * enc.k); // imputes, or throws the CSV error
        else enc.encodeTargets(row.seek(r), y, yo + (t0 + i) * enc.k);
      }
    }
  }
}
