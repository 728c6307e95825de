import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/errors.js';
import { applyCsvSchema, checkCsvSchema, featureNamesOf, parseCsv, readCsv } from '../../src/data/index.js';
import { loadEmbedded, loadEmbeddedCsv } from '../../src/data/read-files.js';

/** Asserts a ParseError whose message names the source, the line and the column. */
function parseError(fn: () => unknown, source: string, line: number, column: string): ParseError {
  let caught: unknown;
  try { fn(); } catch (e) { caught = e; }
  assert.ok(caught instanceof ParseError, `expected a ParseError, got ${String(caught)}`);
  assert.equal(caught.source, source);
  assert.equal(caught.line, line);
  assert.equal(caught.column, column);
  assert.match(caught.message, new RegExp(`^${source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}:`));
  assert.ok(caught.message.includes(`"${column}"`), caught.message);
  return caught;
}

test('iris: 150 rows, 4 features, 3 class names', () => {
  const ds = loadEmbedded('iris');
  assert.deepEqual(ds.x.shape, [150, 4]);
  assert.deepEqual(ds.y.shape, [150]);
  assert.equal(ds.task, 'classification');
  assert.deepEqual(ds.classNames, ['setosa', 'versicolor', 'virginica']);
  assert.deepEqual(ds.featureNames, ['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
  assert.equal(ds.x.dtype, 'float32');
  assert.ok(Math.abs(ds.x.data[0] - 5.1) < 1e-6);
  assert.deepEqual([ds.y.data[0], ds.y.data[149]], [0, 2]);
});

test('digits: 1797 rows, 64 features, 10 classes 0..9', () => {
  const { dataset: ds, schema } = loadEmbeddedCsv('digits');
  assert.deepEqual(ds.x.shape, [1797, 64]);
  assert.deepEqual(ds.classNames, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.equal(schema.labels[0], 'digit');
  // Integer labels 0..9 map to themselves.
  assert.equal(ds.y.data[0], 0);
  assert.equal(ds.y.data[1], 1);
  assert.ok(ds.x.data.every((v) => v >= 0 && v <= 16));
});

test('RFC 4180: quoted fields with commas, quotes and newlines; CRLF; BOM; blank lines', () => {
  const text = '\ufeffa,"b, quoted",label\r\n1,"2",x\r\n\r\n"3","4",  "y"\r\n5,6,"multi\r\nline ""name"""\r\n';
  const table = readCsv(text, { source: 't.csv' });
  assert.deepEqual(table.header, ['a', 'b, quoted', 'label']);
  assert.equal(table.rows.length, 3);
  assert.deepEqual(table.lines, [2, 4, 5]);
  assert.equal(table.rows[2][2], 'multi\r\nline "name"');
  assert.equal(table.rows[1][2], 'y');
  // A quote inside an unquoted field is refused with its position.
  assert.throws(() => readCsv('a,b\n1,ab"c\n', { source: 'q.csv' }), (e: unknown) => e instanceof ParseError && e.line === 2 && /q\.csv:2:5/.test(e.message));
  assert.throws(() => readCsv('a,b\n1,"ab"c\n', { source: 'q.csv' }), /after a closing quote/);
  const { dataset } = parseCsv('a,"b, quoted",label\r\n1,"2",x\r\n3,4,y\r\n', { source: 't.csv' });
  assert.deepEqual(Array.from(dataset.x.data), [1, 2, 3, 4]);
  assert.deepEqual(dataset.classNames, ['x', 'y']);
});

test('bytes input, unterminated quote and invalid UTF-8 are ParseErrors', () => {
  const { dataset } = parseCsv(new TextEncoder().encode('x,y\n1,0\n2,1\n'), { source: 'b.csv' });
  assert.deepEqual(dataset.x.shape, [2, 1]);
  assert.throws(() => readCsv('a,b\n1,"open\n', { source: 'u.csv' }), (e: unknown) => e instanceof ParseError && e.line === 2 && /never closed/.test(e.message));
  assert.throws(() => readCsv(Uint8Array.from([0x61, 0x0a, 0xff, 0xfe]), { source: 'bad.csv' }), (e: unknown) => e instanceof ParseError && e.line === 2);
  assert.throws(() => readCsv('', { source: 'e.csv' }), ParseError);
  assert.throws(() => parseCsv('a,b\n', { source: 'h.csv' }), ParseError);
  assert.throws(() => readCsv('a,a\n1,2\n', { source: 'd.csv' }), /twice/);
});

test('categorical features are one-hot encoded, levels in order of first appearance', () => {
  const { dataset, schema } = parseCsv('size,colour,w,class\n1,red,S,a\n2,blue,M,b\n3,red,L,a\n4,green,M,b\n', { source: 'c.csv' });
  assert.deepEqual(dataset.featureNames, ['size', 'colour=red', 'colour=blue', 'colour=green', 'w=S', 'w=M', 'w=L']);
  assert.deepEqual(Array.from(dataset.x.data.subarray(0, 7)), [1, 1, 0, 0, 1, 0, 0]);
  assert.deepEqual(Array.from(dataset.x.data.subarray(21, 28)), [4, 0, 0, 1, 0, 1, 0]);
  assert.deepEqual(featureNamesOf(schema), dataset.featureNames);
  assert.equal(schema.labels[0], 'class');
  // Numeric-looking codes become categories when asked.
  const forced = parseCsv('zip,y\n100,1\n200,0\n100,1\n', { categorical: ['zip'] }).dataset;
  assert.deepEqual(forced.featureNames, ['zip=100', 'zip=200']);
});

test('label column: by name, by index, default names, else the last; task inference', () => {
  const text = 'target,a,b\n0.5,1,2\n1.5,3,4\n';
  const reg = parseCsv(text).dataset;
  assert.equal(reg.task, 'regression');
  assert.deepEqual(reg.y.shape, [2, 1]);
  assert.deepEqual(reg.featureNames, ['a', 'b']);
  assert.equal(parseCsv(text, { label: 'b' }).dataset.task, 'classification');
  assert.deepEqual(parseCsv(text, { label: 1 }).dataset.featureNames, ['target', 'b']);
  assert.deepEqual(parseCsv(text, { label: -1 }).dataset.featureNames, ['target', 'a']);
  assert.deepEqual(parseCsv('p,q\n1,2\n3,4\n').dataset.featureNames, ['p']);
  // Integer labels are classes, sorted numerically; forcing regression keeps the numbers.
  const cls = parseCsv('f,y\n0,10\n1,-1\n2,2\n3,10\n').dataset;
  assert.deepEqual(cls.classNames, ['-1', '2', '10']);
  assert.deepEqual(Array.from(cls.y.data), [2, 0, 1, 2]);
  assert.equal(parseCsv('f,y\n0,10\n1,-1\n', { task: 'regression' }).dataset.y.data[1], -1);
  // Several target columns: multi-output regression [n, k].
  const multi = parseCsv('a,u,v\n1,0.5,2\n2,1.5,3\n', { label: ['u', 'v'] }).dataset;
  assert.deepEqual(multi.y.shape, [2, 2]);
});

test('ragged rows name the file, line and the missing or extra column', () => {
  parseError(() => parseCsv('a,b,label\n1,2,x\n3,4\n', { source: 'ragged.csv' }), 'ragged.csv', 3, 'label');
  parseError(() => parseCsv('a,b,label\n1,2,x\n\n3,4,y,9\n', { source: 'long.csv' }), 'long.csv', 4, '#4');
});

test('non-numeric cell in a numeric column names file, line and column', () => {
  const e = parseError(() => parseCsv('a,b,label\n1,2,x\n3,4,y\n5,oops,x\n6,7,y\n', { source: 'data/bad.csv' }), 'data/bad.csv', 4, 'b');
  assert.match(e.message, /expected a number, got "oops"/);
  parseError(() => parseCsv('a,b,y\n1,2,0.5\n3,4,nope\n', { source: 'r.csv', task: 'regression' }), 'r.csv', 3, 'y');
});

test('unknown label column is a ParseError naming file, header line and column', () => {
  const e = parseError(() => parseCsv('\na,b\n1,2\n', { source: 'l.csv', label: 'price' }), 'l.csv', 2, 'price');
  assert.match(e.message, /"a", "b"/);
  assert.throws(() => parseCsv('a,b\n1,2\n', { source: 'l.csv', label: 5 }), ParseError);
});

test('missing values: refused by default, imputed with mean / mode on request', () => {
  const text = 'a,c,label\n1,red,x\nNA,blue,y\n5,?,x\n3,red,y\n';
  const e = parseError(() => parseCsv(text, { source: 'm.csv' }), 'm.csv', 3, 'a');
  assert.match(e.message, /missing value "NA"/);
  for (const cell of ['', 'NaN', '?']) {
    parseError(() => parseCsv(`a,label\n1,x\n${cell},y\n`, { source: 'm.csv' }), 'm.csv', 3, 'a');
  }
  const { dataset, schema } = parseCsv(text, { source: 'm.csv', missing: 'impute' });
  assert.deepEqual(dataset.featureNames, ['a', 'c=red', 'c=blue']);
  assert.equal(dataset.x.data[3], 3); // mean of 1, 5, 3
  assert.deepEqual(Array.from(dataset.x.data.subarray(6, 9)), [5, 1, 0]); // '?' -> mode 'red'
  // A missing label is never imputed.
  parseError(() => parseCsv('a,label\n1,x\n2,\n', { source: 'm.csv', missing: 'impute' }), 'm.csv', 3, 'label');
  // The stored fill values are re-used on new data.
  const applied = applyCsvSchema('c,a\nblue,\n', schema);
  assert.deepEqual(Array.from(applied.x.data), [3, 0, 1]);
});

test('schema round trip: JSON, columns by name, label optional at predict time', () => {
  const { schema } = parseCsv('a,c,label\n1,red,x\n2,blue,y\n', { source: 'train.csv' });
  const stored = checkCsvSchema(JSON.parse(JSON.stringify(schema)));
  const pred = applyCsvSchema('c,extra,a\nblue,9,7\nred,9,8\n', stored, { source: 'new.csv' });
  assert.deepEqual(pred.x.shape, [2, 3]);
  assert.deepEqual(Array.from(pred.x.data), [7, 0, 1, 8, 1, 0]);
  assert.equal(pred.y, undefined);
  assert.deepEqual(pred.lines, [2, 3]);
  const withLabels = applyCsvSchema('a,c,label\n3,red,y\n', stored);
  assert.deepEqual(Array.from(withLabels.y!.data), [1]);
  assert.deepEqual(withLabels.dataset?.classNames, ['x', 'y']);
  parseError(() => applyCsvSchema('a\n1\n', stored, { source: 'p.csv' }), 'p.csv', 1, 'c');
  parseError(() => applyCsvSchema('a,c\n1,green\n', stored, { source: 'p.csv' }), 'p.csv', 2, 'c');
  parseError(() => applyCsvSchema('a,c,label\n1,red,z\n', stored, { source: 'p.csv' }), 'p.csv', 2, 'label');
  assert.throws(() => checkCsvSchema({ format: 'nabla-csv-schema', version: 2 }), /version/);
});

test('numbers are plain decimals: hex, infinities and overflow are not numbers', () => {
  for (const cell of ['0x1f', 'Infinity', '1e999', '1_000', '--1']) {
    parseError(() => parseCsv(`a,label\n1,x\n2,y\n3,x\n${cell},y\n`, { source: 'n.csv' }), 'n.csv', 5, 'a');
  }
  const { dataset } = parseCsv('a,label\n+1.5e2,1\n.5,1.0\n-3.,01\n', { source: 'n.csv' });
  assert.deepEqual(Array.from(dataset.x.data), [150, 0.5, -3]);
  assert.deepEqual(dataset.classNames, ['1']); // '1', '1.0' and '01' are one class
});

test('other delimiters: semicolon and tab', () => {
  assert.deepEqual(parseCsv('a;b;y\n1.5;2;x\n', { delimiter: ';', label: 'y' }).dataset.featureNames, ['a', 'b']);
  const tsv = parseCsv('a\tb\ty\n1\t 2\tx\n', { delimiter: '\t' }).dataset;
  assert.deepEqual(Array.from(tsv.x.data), [1, 2]);
  assert.throws(() => readCsv('a\n', { delimiter: '"' }), ParseError);
  // A delimiter that can be part of a number still splits fields first.
  assert.deepEqual(Array.from(parseCsv('a.b.y\n1.25.x\n3.4.z\n', { delimiter: '.', label: 'y' }).dataset.x.data), [1, 25, 3, 4]);
  assert.deepEqual(Array.from(parseCsv('a-b-y\n7-8-x\n-9-z\n', { delimiter: '-', label: 'y', missing: 'impute' }).dataset.x.data), [7, 8, 7, 9]);
});
