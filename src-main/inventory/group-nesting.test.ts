import { describe, expect, it } from 'vitest';
import { deepestGroupChain, groupNestingProblem, MAX_GROUP_NESTING } from './group-nesting';
import { parseAnsibleIni } from './ansible-ini';
import { parseFlowdeckInventoryYaml } from './flowdeck-yaml';
import { resolveElements } from './resolve';
import { checkInventoryReferences } from './references';

/** g0 > g1 > ... > g(n-1): `n` groups, each the only child of the one before. */
const chain = (n: number): Array<{ name: string; children: string[] }> =>
  Array.from({ length: n }, (_, i) => ({ name: `g${i}`, children: i + 1 < n ? [`g${i + 1}`] : [] }));

describe('deepestGroupChain', () => {
  it('counts the groups of the longest children chain, its top group first', () => {
    expect(deepestGroupChain([])).toBeNull();
    expect(deepestGroupChain(chain(1))).toEqual({ top: 'g0', levels: 1 });
    expect(deepestGroupChain([{ name: 'x', children: ['a', 'b'] }, { name: 'a', children: ['b'] }, { name: 'b', children: [] }])).toEqual({ top: 'x', levels: 3 });
    expect(deepestGroupChain(chain(100_000))?.levels).toBe(100_000);
  });

  it('does not follow a loop, as resolving ignores it', () => {
    expect(deepestGroupChain([{ name: 'a', children: ['b'] }, { name: 'b', children: ['a'] }])?.levels).toBe(2);
  });

  it('refuses more than 64 levels only', () => {
    expect(MAX_GROUP_NESTING).toBe(64);
    expect(groupNestingProblem(chain(64))).toBeNull();
    expect(groupNestingProblem(chain(65))?.message).toBe('group "g0" has groups nested 65 levels deep below it, counting itself; Flowdeck reads at most 64');
  });
});

describe('group nesting in imports', () => {
  it('an INI inventory linking groups deeper than 64 levels is refused at the line that does it', () => {
    const lines = ['[g0]', 'h1'];
    for (let i = 0; i < 100; i++) lines.push(`[g${i + 1}:children]`, `g${i}`);
    expect(() => parseAnsibleIni(lines.join('\n') + '\n', 'deep.ini')).toThrow(
      expect.objectContaining({ message: 'making "g63" a child of "g64" nests groups more than 64 levels deep; Flowdeck reads at most 64', location: { file: 'deep.ini', line: 130 } }),
    );
    const topDown: string[] = [];
    for (let i = 0; i < 100; i++) topDown.push(`[g${i}:children]`, `g${i + 1}`);
    topDown.push('[g100]', 'h1');
    expect(() => parseAnsibleIni(topDown.join('\n') + '\n', 'down.ini')).toThrow(expect.objectContaining({ location: { file: 'down.ini', line: 2 } }));
  });

  it('a Flowdeck YAML inventory whose groups chain deeper is refused at the top group', () => {
    const groups = chain(70).map((g) => `  - { name: ${g.name}, children: [${g.children.join(', ')}] }`).join('\n');
    expect(() => parseFlowdeckInventoryYaml(`groups:\n${groups}\n`, 'inv.yaml')).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/^groups\[0\]\.children: group "g0" has groups nested 70 levels/), location: { file: 'inv.yaml', line: 2, column: 17 } }),
    );
  });

  it('resolving walks a stored chain of any depth, loop included, without recursion', () => {
    const groups = chain(50_000).map((g) => ({ ...g, vars: {} }));
    groups[49_999]?.children.push('g0');
    const doc = { profiles: [], groups, elements: [{ id: 'e', name: 'e', host: 'h', transport: 'ssh' as const, groups: ['g49999'], context: {}, enabled: true }] };
    const resolved = resolveElements(doc)[0]?.groups ?? [];
    expect(resolved).toHaveLength(50_000);
    expect([resolved[0], resolved[49_999]]).toEqual(['g0', 'g49999']);
  });

  it('a loop is still named whole by the reference check', () => {
    const groups = chain(3).map((g) => ({ ...g, vars: {} }));
    groups[2]?.children.push('g0');
    expect(checkInventoryReferences({ profiles: [], groups, elements: [] })[0]).toBe('group "g0": its children lead back to it (g0 -> g1 -> g2 -> g0); the loop is ignored');
  });
});
