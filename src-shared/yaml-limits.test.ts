import { parseDocument, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  inputSizeProblem,
  lineColumnAt,
  MAX_ALIAS_EXPANSION,
  MAX_ALIASES,
  MAX_ANCHORS,
  MAX_INPUT_BYTES,
  MAX_NESTING,
  utf8Length,
  yamlDocumentProblem,
  yamlTextProblem,
} from './yaml-limits';

/** Where the text check stopped, as `line:column`, or null when the text is within the limits. */
function refusedAt(text: string): string | null {
  const p = yamlTextProblem(text);
  if (!p) return null;
  const { line, column } = lineColumnAt(text, p.offset ?? 0);
  return `${line}:${column}`;
}

function docProblem(text: string): { at: string; code: string; message: string } | null {
  const doc = parseDocument(text, { uniqueKeys: false, merge: true });
  expect(doc.errors).toEqual([]);
  const p = yamlDocumentProblem(doc);
  if (!p) return null;
  const { line, column } = lineColumnAt(text, p.offset ?? 0);
  return { at: `${line}:${column}`, code: p.code, message: p.message };
}

/** The depth of a plain value: lists and mappings inside one another. */
function depthOf(v: unknown): number {
  if (Array.isArray(v)) return 1 + Math.max(0, ...v.map(depthOf));
  if (v !== null && typeof v === 'object') return 1 + Math.max(0, ...Object.values(v).map(depthOf));
  return 0;
}

describe('yamlTextProblem: nesting', () => {
  it('reads 64 levels of brackets and refuses the 65th where it opens', () => {
    expect(MAX_NESTING).toBe(64);
    expect(refusedAt('['.repeat(64) + ']'.repeat(64))).toBeNull();
    expect(refusedAt('['.repeat(65) + ']'.repeat(65))).toBe('1:65');
    expect(yamlTextProblem('['.repeat(900))?.message).toBe('lists and mappings are nested deeper than 64 levels; Flowdeck reads at most 64');
    expect(refusedAt('a:\n  b: ' + '{x: '.repeat(70))).toBe('2:254');
  });

  it('refuses a 10,000-level JSON document and a million open brackets', () => {
    expect(refusedAt('{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000))).toBe('1:321');
    expect(refusedAt('['.repeat(1_000_000))).toBe('1:65');
  });

  it('follows block nesting by indentation, compact `- - x` entries and [a: b] pairs', () => {
    const keys = (n: number): string => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' leaf\n';
    expect(refusedAt(keys(64))).toBeNull();
    expect(refusedAt(keys(65))).toBe('65:65');
    expect(refusedAt('- '.repeat(64) + 'x\n')).toBeNull();
    expect(refusedAt('- '.repeat(65) + 'x\n')).toBe('1:129');
    // A list that is a key's value may start at the key's column: still one level more.
    const zigzag = (n: number): string => 'k:\n' + Array.from({ length: n }, (_, i) => `${' '.repeat(2 * i)}- k:\n`).join('') + `${' '.repeat(2 * n)}- x\n`;
    expect(depthOf(parseDocument(zigzag(31)).toJS())).toBe(64);
    expect(yamlTextProblem(zigzag(31))).toBeNull();
    expect(refusedAt(zigzag(32))).toBe('33:65');
    expect(refusedAt('[a: '.repeat(32) + 'x' + ']'.repeat(32))).toBeNull();
    expect(refusedAt('[a: '.repeat(33) + 'x' + ']'.repeat(33))).toBe('1:129');
  });

  it('does not count brackets inside quotes, comments, block scalars or plain text', () => {
    const text = [
      `a: "${'['.repeat(500)}"`,
      `b: '${'{'.repeat(500)}'`,
      `# ${'['.repeat(500)}`,
      'c: |',
      `  ${'['.repeat(500)}`,
      `  ${'{'.repeat(500)}`,
      `d: test ${'['.repeat(500)} x`,
      'e: [1, [2, {f: "]]]]"}]]',
      '',
    ].join('\n');
    expect(yamlTextProblem(text)).toBeNull();
    expect(parseDocument(text).errors).toEqual([]);
  });

  it('agrees with the parsed depth on generated documents of every style', () => {
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const build = (d: number): unknown => {
      if (d === 0) return rnd() < 0.3 ? { q: 'leaf' } : rnd() < 0.5 ? 'multi\nline\n' : 'leaf';
      const inner = build(d - 1);
      if (rnd() < 0.5) {
        const o: Record<string, unknown> = { a: 1, [`k${d}`]: inner };
        if (rnd() < 0.3) o.z = [1, { w: [2] }];
        return o;
      }
      return rnd() < 0.5 ? [inner] : ['x', inner, 'y'];
    };
    let compared = 0;
    for (let t = 0; t < 300; t++) {
      const text = stringify(build(58 + Math.floor(rnd() * 10)), {
        indentSeq: rnd() < 0.5,
        collectionStyle: rnd() < 0.15 ? 'flow' : 'any',
        indent: 1 + Math.floor(rnd() * 3),
        lineWidth: 0,
        flowCollectionPadding: rnd() < 0.5,
      });
      const depth = depthOf(parseDocument(text).toJS());
      expect(yamlTextProblem(text) !== null, text).toBe(depth > MAX_NESTING);
      compared++;
    }
    expect(compared).toBe(300);
  });

  it('starts over at each document of a stream', () => {
    const doc = (n: number): string => '['.repeat(n) + ']'.repeat(n) + '\n';
    expect(yamlTextProblem(`${doc(60)}---\n${doc(60)}`)).toBeNull();
  });
});

describe('yamlTextProblem: size, anchors and aliases', () => {
  it('counts UTF-8 bytes and refuses more than 16 MiB', () => {
    expect(utf8Length('aé€😀')).toBe(1 + 2 + 3 + 4);
    expect(MAX_INPUT_BYTES).toBe(16 * 1024 * 1024);
    expect(inputSizeProblem(MAX_INPUT_BYTES)).toBeNull();
    expect(inputSizeProblem(MAX_INPUT_BYTES + 1)?.message).toBe('the file is larger than 16 MiB, the most Flowdeck reads as an inventory or flow file');
    const big = 'a: ' + '€'.repeat(Math.ceil(MAX_INPUT_BYTES / 3));
    expect(yamlTextProblem(big)?.message).toMatch(/larger than 16 MiB/);
  });

  it('refuses more anchors or aliases than the package resolves quickly', () => {
    const anchors = (n: number): string => Array.from({ length: n }, (_, i) => `a${i}: &a${i} x`).join('\n') + '\n';
    expect(yamlTextProblem(anchors(MAX_ANCHORS))).toBeNull();
    expect(refusedAt(anchors(MAX_ANCHORS + 1))).toBe(`${MAX_ANCHORS + 1}:${String(MAX_ANCHORS).length + 4}`);
    const aliases = (n: number): string => 'a: &a x\n' + Array.from({ length: n }, (_, i) => `b${i}: *a`).join('\n') + '\n';
    expect(yamlTextProblem(aliases(MAX_ALIASES))).toBeNull();
    expect(yamlTextProblem(aliases(MAX_ALIASES + 1))?.message).toBe(`more than ${MAX_ALIASES} aliases (*name); Flowdeck reads at most ${MAX_ALIASES} in one file`);
  });
});

describe('yamlDocumentProblem', () => {
  it('refuses a billion laughs at the alias that goes past the limit', () => {
    const lines = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    const text = lines.join('\n') + '\n';
    expect(yamlTextProblem(text)).toBeNull();
    expect(docProblem(text)).toEqual({
      at: '6:8',
      code: 'invalid-input',
      message: `the aliases expand to more than ${MAX_ALIAS_EXPANSION} values (each *name is a copy of what it names); Flowdeck refuses such alias bombs`,
    });
  });

  it('allows ordinary anchors, aliases and repeated merge keys', () => {
    expect(docProblem('base: &base { user: deploy, port: 22 }\nweb: { <<: *base, host: w }\ndb:\n  <<: *base\n  <<: { x: 1 }\nlist: [*base, *base]\n')).toBeNull();
  });

  it('refuses an alias inside the node it names, and an alias with no anchor', () => {
    expect(docProblem('a: &x [1, *x]\n')).toEqual({ at: '1:11', code: 'invalid-input', message: 'the alias *x is inside the node it names (&x), which makes an endless value' });
    expect(docProblem('a: *nope\n')).toEqual({ at: '1:4', code: 'invalid-input', message: 'the alias *nope names no anchor (&nope) before it' });
  });

  it('resolves a redefined anchor to the last one before the alias, as the package does', () => {
    const big = `[${Array(1000).fill('x').join(', ')}]`;
    // *a after the second &a names the small list: 200 aliases of it add nothing to speak of.
    const text = `a: &a ${big}\nb: &a [y]\nc: [${Array(200).fill('*a').join(', ')}]\n`;
    expect(docProblem(text)).toBeNull();
    expect(docProblem(`b: &a [y]\na: &a ${big}\nc: [${Array(200).fill('*a').join(', ')}]\n`)?.message).toMatch(/alias bombs/);
  });

  it('reports a duplicate key at its second use, with the package own words and code', () => {
    expect(docProblem('a: 1\nb:\n  c: 1\n  c: 2\n')).toEqual({ at: '4:3', code: 'invalid-yaml', message: 'Map keys must be unique' });
    expect(docProblem('{x: 1, y: 2, x: 3}\n')?.at).toBe('1:14');
  });
});

describe('lineColumnAt', () => {
  it('is 1-based and counts from the last line break', () => {
    expect(lineColumnAt('ab\ncd\n', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumnAt('ab\ncd\n', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumnAt('ab\r\ncd', 5)).toEqual({ line: 2, column: 2 });
  });
});
