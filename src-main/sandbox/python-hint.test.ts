import { describe, expect, it } from 'vitest';
import { pythonHint } from './python-hint';

describe('pythonHint', () => {
  it.each([
    ['lambda', 'order_flow_elements(elements, lambda x: x.context.role)', '`lambda x: ...`'],
    ['def', 'def key(x):\n    return 1', '`def f(x):`'],
    ['elif', 'if (a) {}\nelif b:\n  pass', '`elif ...:`'],
    ['True/False/None', 'return elements.filter(e => e.context.primary == True)', '`True/False/None`'],
    ['print statement', 'print elements', 'no `print`'],
    ['sort(key=)', 'elements.sort(key=lambda e: e.name)', '`elements.sort(key=...)`'],
    ['block header', 'for e in elements:\n    pass', 'trailing `:`'],
    ['# comment', '# keep the masters last\nelements', '`//` for comments'],
    ['len()', 'if (len(elements) > 2) {}', '`len(list)`'],
  ])('recognises %s', (_name, script, advice) => {
    const hint = pythonHint(script);
    expect(hint).toMatch(/^This looks like Python; Flowdeck scripts are JavaScript: write /);
    expect(hint).toContain(advice);
  });

  it.each([
    "order_flow_elements(elements, x => x.context.role === 'master' ? 1 : 0)",
    "return elements.filter(e => e.name !== 'None' && e.context.note !== 'def f(x):')",
    'const o = { a: 1 };\nif (o.a) { elements.reverse() }',
    '#!/usr/bin/env node\nelements',
    'const isTrue = x => x === true; // True, False',
  ])('leaves JavaScript alone: %s', (script) => {
    expect(pythonHint(script)).toBeUndefined();
  });
});
