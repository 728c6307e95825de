import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkXml } from './xml-check.js';

test('the XML check accepts well-formed documents and rejects broken ones', () => {
  checkXml('<svg a="1"><g><text>a &amp; b</text></g><rect/></svg>');
  assert.throws(() => checkXml('<svg><g></svg>'));
  assert.throws(() => checkXml('<svg a=1></svg>'));
  assert.throws(() => checkXml('<svg><text>a & b</text></svg>'));
  assert.throws(() => checkXml('<svg a="1" a="2"></svg>'));
  assert.throws(() => checkXml('<svg></svg><svg></svg>'));
});
