// The CSV number fast path must read exactly what parseFloat reads, bit for bit: checked on random
// decimal strings (long mantissas, large and tiny exponents, subnormals, ±0) through parseDecimal
// and through the tokenizer's inline path, which handles the plain [-]digits[.digits] fields itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseDecimal } from '../../src/data/decimal.js';
import { CsvTokenizer, NUMBER } from '../../src/data/csv-tokenizer.js';

const enc = new TextEncoder();

/** Decimal strings in every shape the grammar allows, biased to the hard cases. */
const digits = (max: number): fc.Arbitrary<string> => fc.array(fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'), { maxLength: max }).map((d) => d.join(''));
const decimal: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(
    fc.constantFrom('', '', '-', '+'),
    fc.oneof(digits(3), digits(25), fc.constantFrom('0', '00', '9007199254740993', '9007199254740992', '18014398509481985')),
    fc.option(fc.oneof(digits(3), digits(30)), { nil: undefined }),
    fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '-', '+'), fc.integer({ min: 0, max: 400 })), { nil: undefined }),
  ).map(([sign, int, frac, exp]) => {
    let s = sign + int + (frac !== undefined ? `.${frac}` : '');
    if (exp) s += `${exp[0]}${exp[1]}${exp[2]}`;
    return s;
  }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => String(v)),
  fc.tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 1, max: 21 })).map(([v, p]) => v.toPrecision(p)),
  fc.tuple(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e21, max: 1e21 }), fc.integer({ min: 0, max: 20 })).map(([v, p]) => v.toFixed(p)),
  fc.constantFrom(
    '0', '-0', '+0', '0.0', '-0.0', '-0e5', '0e-400', '.5', '5.', '-.5', '4.9e-324', '5e-324', '2e-324', '3e-324', '1e-400',
    '2.2250738585072011e-308', '2.2250738585072014e-308', '1.7976931348623157e308', '1.7976931348623158e308',
    '1.7976931348623159e308', '1e309', '-1e309', '0.1', '0.30000000000000004', '123456789012345678901234567890',
    '1e22', '1e23', '9e22', '1.5e-22', '0.000000000000000000000001', '3.4028235677973366e38', '255', '-255.5',
  ),
);

/** What the tokenizer makes of `s` as the only field of a data row. */
function tokenized(s: string): number {
  let value = NaN, rows = 0;
  const tok = new CsvTokenizer({ source: 't.csv' }, (r) => {
    if (rows++ === 0) return; // the header
    value = r.cell(0) === NUMBER ? r.value : NaN;
  });
  tok.push(enc.encode(`a\n${s}\n`));
  tok.finish();
  return value;
}

test('parseDecimal equals parseFloat bit for bit on random decimal strings', () => {
  fc.assert(fc.property(decimal, (s) => {
    const b = enc.encode(s);
    const got = parseDecimal(b, 0, b.length);
    assert.ok(Object.is(got, parseFloat(s)), `${s}: got ${got}, parseFloat ${parseFloat(s)}`);
  }), { numRuns: 20000, seed: 7 });
});

test('the tokenizer reads plain numbers as parseFloat does (finite ones), inline path and fallback alike', () => {
  fc.assert(fc.property(decimal, (s) => {
    const want = parseFloat(s);
    const got = tokenized(s);
    if (Number.isFinite(want)) assert.ok(Object.is(got, want), `${s}: got ${got}, parseFloat ${want}`);
    else assert.ok(!Number.isFinite(got), `${s}: got ${got}, parseFloat ${want}`); // overflow: an error later, never a number
  }), { numRuns: 20000, seed: 8 });
});

test('parseDecimal: anything but a plain decimal is NaN (the full rules then apply to the text)', () => {
  for (const s of ['', ' ', '-', '+', '.', '-.', 'e5', '1e', '1e+', '1.2.3', '0x1f', '1_000', 'Infinity', 'NaN', '1,5', '--1', '1 2', '٣']) {
    const b = enc.encode(s);
    assert.ok(Number.isNaN(parseDecimal(b, 0, b.length)), JSON.stringify(s));
  }
  const padded = enc.encode(' \t-12.5e1 ');
  assert.equal(parseDecimal(padded, 0, padded.length), -125);
});
