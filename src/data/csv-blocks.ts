// A CSV file's rows encoded into blocks of float32 rows, one pass: what a streamed CSV table
// reads each epoch, on the training thread or in the parser's worker thread (csv-worker.ts).
import type { CsvSchema, TableHeader } from './csv-schema.js';
import { CsvTokenizer } from './csv-tokenizer.js';
import { fileChunks } from './file-chunks.js';
import { RowEncoder } from './row-encoder.js';
import type { BlockWriter } from './block-writer.js';
import type { RowBlock } from './stream.js';

/**
 * One pass over a CSV file's rows, encoded into w's blocks: after each `slice` bytes, the blocks
 * completed so far (the last call also gets the final partial block). The caller may pause between
 * slices, which bounds what a pass holds when its blocks are consumed elsewhere.
 */
export async function* encodeCsvBlocks(path: string, schema: CsvSchema, w: BlockWriter, slice: number): AsyncGenerator<RowBlock[]> {
  let enc: RowEncoder | null = null;
  let header: TableHeader | null = null;
  const tok = new CsvTokenizer({ source: path, delimiter: schema.delimiter }, (r) => {
    if (!enc) {
      const names: string[] = [];
      for (let c = 0; c < r.count; c++) names.push(r.text(c));
      header = { source: path, header: names, headerLine: r.line };
      enc = new RowEncoder(header, schema, true);
      return;
    }
    enc.encode(r, w.xs, w.xOffset, w.ys, w.yOffset);
    w.commit();
  });
  for await (const chunk of fileChunks(path)) {
    for (let at = 0; at < chunk.length; at += slice) {
      tok.push(at === 0 && slice >= chunk.length ? chunk : chunk.subarray(at, at + slice));
      const blocks = w.take();
      if (blocks.length) yield blocks;
    }
  }
  tok.finish();
  yield w.take(true);
}
