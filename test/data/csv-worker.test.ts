// A streamed CSV parsed in a worker thread gives what parsing on the training thread gives: the
// same blocks, the same errors (file and line), and a failing thread is a typed error, not a hang.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParseError } from '../../src/errors.js';
import { csvBlocksInWorker } from '../../src/data/csv-in-worker.js';
import { scanCsvFile, streamCsvFile } from '../../src/data/stream-files.js';
import type { RowBlock } from '../../src/data/stream.js';

const tmp = mkdtempSync(join(tmpdir(), 'nabla-csv-worker-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Rows with a numeric, a categorical and a class column; wide enough for several worker blocks. */
function writeTable(path: string, rows: number, bad?: { line: number; cell: string }): void {
  const lines = [`${Array.from({ length: 60 }, (_, j) => `f${j}`).join(',')},tone,label`];
  for (let i = 0; i < rows; i++) {
    const cells = Array.from({ length: 60 }, (_, j) => ((i * 31 + j * 7) % 1000) / 8);
    const row = `${cells.join(',')},${['low', 'mid', 'high'][i % 3]},${i % 4}`;
    // Line numbers are 1-based and the header is line 1: data row i is on line i + 2.
    lines.push(bad && bad.line === i + 2 ? row.replace(/^[^,]*/, bad.cell) : row);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

async function collect(blocks: AsyncIterable<RowBlock>): Promise<{ x: number[]; y: number[]; firsts: number[] }> {
  const x: number[] = [], y: number[] = [], firsts: number[] = [];
  for await (const b of blocks) {
    assert.equal(b.first, y.length, 'blocks arrive in order, each starting where the last ended');
    firsts.push(b.first);
    for (const v of b.x) x.push(v);
    for (const v of b.y) y.push(v);
  }
  return { x, y, firsts };
}

test('the worker thread hands over exactly the rows the training thread parses, in blocks, again every pass', async () => {
  const path = join(tmp, 'wide.csv');
  writeTable(path, 9000);
  const { schema, rows } = await scanCsvFile(path);
  const inWorker = streamCsvFile(path, schema, rows), here = streamCsvFile(path, schema, rows, path, { worker: false });
  const want = await collect(here.blocks());
  assert.equal(want.y.length, 9000);
  for (let pass = 0; pass < 2; pass++) {
    const got = await collect(inWorker.blocks());
    assert.ok(got.firsts.length > 2, `several blocks per pass: ${got.firsts.length}`);
    assert.deepEqual(got.x, want.x);
    assert.deepEqual(got.y, want.y);
  }
});

test('an error in the worker thread is the ParseError parsing here gives: same file, line and message', async () => {
  const path = join(tmp, 'bad.csv');
  writeTable(path, 6000, { line: 5321, cell: 'oops' });
  const { schema, rows } = await scanCsvFile(join(tmp, 'wide.csv'));
  const fail = async (worker: boolean): Promise<ParseError> => {
    try {
      for await (const _ of streamCsvFile(path, schema, rows, path, { worker }).batches({ batchSize: 64 })) { /* train */ }
    } catch (e) {
      assert.ok(e instanceof ParseError, `a ParseError, got ${String(e)}`);
      return e;
    }
    return assert.fail('the bad cell was not reported');
  };
  const [there, here] = [await fail(true), await fail(false)];
  assert.equal(there.message, here.message);
  assert.equal(there.line, 5321);
  assert.equal(there.source, path);
  assert.match(there.message, /:5321: column "f0": expected a number, got "oops"/);
});

test('a worker thread that dies (here: out of its memory limit) is a ParseError naming the file, not a hang', async () => {
  const path = join(tmp, 'wide.csv');
  const { schema } = await scanCsvFile(path);
  await assert.rejects(collect(csvBlocksInWorker(path, schema, { maxOldGenerationSizeMb: 1, maxYoungGenerationSizeMb: 1 })),
    (e: unknown) => e instanceof ParseError && e.source === path
      && e.message.startsWith(`${path}: the CSV parser's worker thread failed (`) && /memory limit/.test(e.message));
});

test('a pass abandoned after one block ends its thread; the next pass starts afresh', async () => {
  const path = join(tmp, 'wide.csv');
  const { schema, rows } = await scanCsvFile(path);
  const table = streamCsvFile(path, schema, rows);
  for await (const b of table.blocks()) { assert.equal(b.first, 0); break; }
  const { y } = await collect(table.blocks());
  assert.equal(y.length, rows);
});
