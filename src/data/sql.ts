// Parquet (and anything else DuckDB reads) through DuckDB's Node API, an optional dependency
// loaded only when such a source is used. DuckDB does the file formats, globs over many files and
// SQL; nabla reads the result in chunks of column vectors through the same schema scan and row
// encoder as CSV, so a query's result can be loaded in memory or streamed like a CSV file.
//
// Numeric columns (integers of any width, including BIGINT, which the API returns as BigInt;
// decimals; floats; booleans) are cast to DOUBLE by DuckDB, others to VARCHAR.
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
interface DuckVector { items?: ArrayLike<number>; validity?: { itemValid(i: number): boolean }; getItem(i: number): unknown }
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

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|BOOLEAN|DECIMAL(\(.*\))?)$/i;

/** One chunk of a query result, read row by row through the TableRow interface. */
class ChunkRow implements TableRow {
  line = 0;
  value = 0;
  r = 0;
  private first = 0;
  private items: (ArrayLike<number> | null)[] = [];
  private vectors: DuckVector[] = [];
  constructor(readonly count: number, private readonly numeric: boolean[]) {}

  load(chunk: DuckChunk, firstLine: number): void {
    this.first = firstLine;
    this.vectors = this.numeric.map((_, i) => chunk.getColumnVector(i));
    this.items = this.vectors.map((v, i) => (this.numeric[i] && v.items ? v.items : null));
  }

  cell(i: number): CellKind {
    const v = this.vectors[i];
    if (v.validity && !v.validity.itemValid(this.r)) return MISSING;
    const items = this.items[i];
    if (items) {
      const x = items[this.r];
      if (x !== x) return MISSING;
      this.value = x;
      return NUMBER;
    }
    const raw = v.getItem(this.r);
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
}

/** A query result DuckDB can produce again on each pass. */
export class SqlSource {
  private constructor(
    readonly name: string,
    readonly head: TableHeader,
    private readonly numeric: boolean[],
    private readonly query: string,
    private readonly db: DuckInstance,
    private readonly conn: DuckConnection,
  ) {}

  static async open(opts: SqlSourceOptions): Promise<SqlSource> {
    const { DuckDBInstance } = await loadDuckDb();
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const name = opts.sql ? `${opts.data} (${opts.sql})` : opts.data;
    try {
      await conn.run(`CREATE VIEW data AS SELECT * FROM read_parquet(${sqlString(opts.data)})`);
      const inner = opts.sql ?? 'SELECT * FROM data';
      const described = (await conn.runAndReadAll(`DESCRIBE ${inner}`)).getRowObjects();
      const names = described.map((r) => String(r.column_name));
      const numeric = described.map((r) => NUMERIC.test(String(r.column_type)));
      const cols = names.map((n, i) => `${numeric[i] ? `CAST(${sqlName(n)} AS DOUBLE)` : `CAST(${sqlName(n)} AS VARCHAR)`} AS ${sqlName(n)}`);
      const query = `SELECT ${cols.join(', ')} FROM (${inner})`;
      return new SqlSource(name, { source: opts.data, header: names, headerLine: 1 }, numeric, query, db, conn);
    } catch (e) {
      if (e instanceof ConfigError || e instanceof ParseError) throw e;
      throw new ParseError(`${name}: ${(e as Error).message.split('\n')[0]}`, opts.data);
    }
  }

  /** One pass over the result, a chunk at a time: `rows` rows, each reached by row.seek(r) (valid until the next chunk). */
  async *chunks(): AsyncGenerator<{ row: ChunkRow; rows: number }> {
    const row = new ChunkRow(this.head.header.length, this.numeric);
    let result: DuckResult;
    try { result = await this.conn.stream(this.query); } catch (e) { throw new ParseError(`${this.name}: ${(e as Error).message.split('\n')[0]}`, this.head.source); }
    let line = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      row.load(chunk, line);
      line += chunk.rowCount;
      yield { row, rows: chunk.rowCount };
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
  await source.each((r) => scanner.add(r));
  return { schema: scanner.finish(), rows: scanner.rows };
}

/** A query's result as a Dataset in memory (refused above the memory budget). */
export async function readSql(source: SqlSource, schema: CsvSchema, rows: number, opts: LoadOptions & { name?: string } = {}): Promise<CsvResult> {
  const enc = new RowEncoder(source.head, schema, true);
  checkBudget(source.name, inMemoryBytes(rows, enc.d, enc.k), opts.maxMemory ?? defaultMemoryBudget(), 'stream it (--stream), or raise --max-memory');
  const x = new Float32Array(rows * enc.d), y = new Float32Array(rows * enc.k);
  let n = 0;
  await source.each((r) => {
    if (n >= rows) throw new ParseError(`${source.name}: the result changed between passes (more than ${rows} rows)`, source.head.source);
    enc.encode(r, x, n * enc.d, y, n * enc.k);
    n++;
  });
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
  for await (const { row, rows } of source.chunks()) {
    for (let r = 0; r < rows; r++) {
      enc.encode(row.seek(r), w.xs, w.xOffset, w.ys, w.yOffset);
      w.commit();
    }
    yield* w.take();
  }
  yield* w.take(true);
}
