// Parsers meet arbitrary bytes: they must end with a result or a ParseError, never hang, crash
// or allocate what a forged header asks for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ParseError } from '../../src/errors.js';
import { parseCsv, parseIdx, parseIdxImages, parseIdxLabels, readCsv } from '../../src/data/index.js';
import { idxBytes } from '../helpers/files.js';

const onlyParseErrors = (fn: () => unknown): void => {
  try { fn(); } catch (e) {
    if (!(e instanceof ParseError)) throw e;
  }
};

test('CSV: random bytes give a table or a ParseError', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
    onlyParseErrors(() => readCsv(bytes, { source: 'fuzz.csv' }));
    onlyParseErrors(() => parseCsv(bytes, { source: 'fuzz.csv' }));
  }), { numRuns: 500, seed: 1 });
});

test('CSV: random CSV-ish text gives a dataset or a ParseError naming the source', () => {
  const alphabet = fc.constantFrom('a', '1', '2.5', '-', 'e', ',', '"', '\n', '\r', ' ', 'NA', '?', 'x,y\n');
  fc.assert(fc.property(fc.array(alphabet, { maxLength: 60 }), (parts) => {
    const text = `a,b,label\n${parts.join('')}`;
    try {
      const { dataset } = parseCsv(text, { source: 'fuzz.csv' });
      assert.equal(dataset.x.shape[1] >= 1, true);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      assert.equal(e.source, 'fuzz.csv');
      assert.ok(e.message.startsWith('fuzz.csv'), e.message);
    }
  }), { numRuns: 1000, seed: 2 });
});

test('CSV: line numbers stay right after quoted fields spanning lines', () => {
  const text = 'a,b,label\n1,"two\nlines",x\n"3\r\n\r\n",4,y\n5,6\n';
  assert.throws(() => parseCsv(text, { source: 's.csv' }), (e: unknown) => e instanceof ParseError && e.line === 7 && e.column === 'label');
});

test('IDX: random headers and bytes give arrays or ParseErrors, with bounded allocation', () => {
  const header = fc.tuple(
    fc.constantFrom(0, 0, 0, 1), fc.constantFrom(8, 8, 9), fc.integer({ min: 0, max: 4 }),
    fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 4 }), fc.uint8Array({ maxLength: 64 }),
  );
  fc.assert(fc.property(header, ([zero, type, rank, dims, body]) => {
    const bytes = idxBytes(dims, body, { zero, type, rank });
    onlyParseErrors(() => {
      const { data } = parseIdx(bytes, 'fuzz.idx');
      assert.ok(data.length <= bytes.length);
    });
    onlyParseErrors(() => parseIdxImages(bytes));
    onlyParseErrors(() => parseIdxLabels(bytes));
  }), { numRuns: 2000, seed: 3 });
  fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
    onlyParseErrors(() => parseIdx(bytes));
  }), { numRuns: 500, seed: 4 });
});
