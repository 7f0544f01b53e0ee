import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Checks over the renderer's style sources: colours are written only in the tokens file (so a
 * theme is one set of values), and every class a component takes from a CSS module is defined in
 * that module (a misspelt name would otherwise give `undefined` and silently drop the style).
 */

const root = resolve(import.meta.dirname, '..', '..', 'src-renderer');
const TOKENS = 'theme/tokens.css';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    return d.isDirectory() ? filesUnder(path) : [path];
  });
}

const sources = filesUnder(root)
  .map((path) => relative(root, path).split('\\').join('/'))
  .filter((path) => /\.(css|tsx?)$/.test(path) && !path.endsWith('.test.ts'));

/** `#abc`, `#aabbcc`, `#aabbccdd`, and rgb()/rgba()/hsl()/hsla() calls. */
const COLOUR = /#(?:[0-9a-f]{8}|[0-9a-f]{6}|[0-9a-f]{3,4})\b|\b(?:rgba?|hsla?)\(/gi;

/** The raw colours of one source, with line numbers; `#` in a JS private name or a URL fragment is not one. */
export function rawColours(text: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(COLOUR)) {
      const before = line.slice(0, m.index);
      if (m[0].startsWith('#') && /[\w$&'"`/]$/.test(before)) continue;
      found.push(`${i + 1}: ${m[0]}`);
    }
  });
  return found;
}

describe('renderer styles', () => {
  it('recognises the colour forms it looks for', () => {
    expect(rawColours('a { color: #fff; border-color: #A1b2C3; }')).toEqual(['1: #fff', '1: #A1b2C3']);
    expect(rawColours('x { background: rgb(0 0 0 / 0.4); }\ny { color: hsla(0, 0%, 0%, 1) }')).toEqual(['1: rgb(', '2: hsla(']);
    expect(rawColours("const href = '#/executions'; a.b#x { color: var(--text) }")).toEqual([]);
  });

  it('writes no colour outside the tokens file', () => {
    const offenders = sources.filter((path) => path !== TOKENS).flatMap((path) => rawColours(readFileSync(join(root, path), 'utf8')).map((c) => `${path}:${c}`));
    expect(offenders).toEqual([]);
  });

  it('has its colours in the tokens file', () => {
    expect(rawColours(readFileSync(join(root, TOKENS), 'utf8')).length).toBeGreaterThan(50);
  });

  it('takes from each CSS module only classes the module defines', () => {
    const problems: string[] = [];
    for (const path of sources.filter((p) => /\.tsx?$/.test(p))) {
      const text = readFileSync(join(root, path), 'utf8');
      for (const m of text.matchAll(/^import (\w+) from '([^']+\.module\.css)';$/gm)) {
        const [, name, spec] = m as unknown as [string, string, string];
        const css = readFileSync(resolve(root, dirname(path), spec), 'utf8');
        const defined = new Set([...css.matchAll(/\.(-?[_a-zA-Z][\w-]*)/g)].map((c) => c[1]));
        const used = [...text.matchAll(new RegExp(`\\b${name}(?:\\.(\\w+)|\\['([\\w-]+)'\\])`, 'g'))].map((u) => u[1] ?? u[2]);
        for (const cls of used) if (cls !== undefined && !defined.has(cls)) problems.push(`${path}: ${name}.${cls} is not in ${spec}`);
        if (used.length === 0 && !new RegExp(`\\b${name}\\[`).test(text)) problems.push(`${path}: imports ${spec} and uses none of it`);
      }
    }
    expect(problems).toEqual([]);
  });
});
