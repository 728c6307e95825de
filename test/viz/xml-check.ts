// A tiny XML well-formedness check for the SVG tests (nothing to install): one root element,
// every tag closed in order, attributes quoted and unique, only known entities, no stray '<' or '&'.
export function checkXml(src: string): void {
  const stack: string[] = [];
  let i = 0, roots = 0;
  const fail = (msg: string): never => {
    const line = src.slice(0, i).split('\n').length;
    throw new Error(`XML not well-formed at line ${line}: ${msg}`);
  };
  const checkText = (text: string) => {
    if (text.includes('<')) fail('stray <');
    for (const m of text.matchAll(/&([^;\s]*);?/g)) {
      if (!/^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);$/.test(m[0])) fail(`bad entity ${m[0]}`);
    }
  };
  src = src.replace(/^<\?xml[^?]*\?>/, '');
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    if (lt < 0) { checkText(src.slice(i)); break; }
    const text = src.slice(i, lt);
    if (stack.length === 0 && text.trim() !== '') fail('text outside the root element');
    checkText(text);
    i = lt;
    if (src.startsWith('<!--', i)) { const e = src.indexOf('-->', i); if (e < 0) fail('unclosed comment'); i = e + 3; continue; }
    const gt = src.indexOf('>', i);
    if (gt < 0) fail('unclosed tag');
    const tag = src.slice(i + 1, gt);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      if (stack.pop() !== name) fail(`</${name}> does not close the open element`);
    } else {
      const selfClosing = tag.endsWith('/');
      const m = /^([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*\/?$/.exec(tag);
      if (!m) fail(`malformed tag <${tag.slice(0, 60)}>`);
      const names = [...m![2].matchAll(/([A-Za-z_][\w.:-]*)\s*=/g)].map((a) => a[1]);
      if (new Set(names).size !== names.length) fail(`duplicate attribute in <${m![1]}>`);
      for (const v of m![2].matchAll(/=\s*(?:"([^"]*)"|'([^']*)')/g)) checkText(v[1] ?? v[2] ?? '');
      if (stack.length === 0) roots++;
      if (roots > 1) fail('more than one root element');
      if (!selfClosing) stack.push(m![1]);
    }
    i = gt + 1;
  }
  if (stack.length) fail(`unclosed <${stack[stack.length - 1]}>`);
  if (roots !== 1) fail('no root element');
}
