import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, Workspace } from '../support/cli';

describe('inventory import says what it did per kind', () => {
  const ws = new Workspace();
  afterAll(() => ws.dispose());
  const example = `${repoRoot}/test/fixtures/inventory/ansible-example.ini`;

  it('counts elements, not lines: 32 hosts (one in two groups) are 32 elements, the groups apart', async () => {
    const first = await ws.run(['inventory', 'import', example]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim()).toBe('imported ansible-example.ini: elements: 32 added, 0 updated, 0 unchanged; groups: 4 added, 0 updated, 0 unchanged');
    const again = await ws.run(['inventory', 'import', example]);
    expect(again.stdout.trim()).toBe('imported ansible-example.ini: elements: 0 added, 0 updated, 32 unchanged; groups: 0 added, 0 updated, 4 unchanged');
    const list = await ws.json<Array<{ id: string; groups: string[] }>>(['inventory', 'list', '--json']);
    // Besides the built-in localhost.
    expect(list.filter((e) => e.id !== 'localhost')).toHaveLength(32);
    const www01 = list.find((e) => e.id === 'www01.example.com');
    expect(www01?.groups.sort()).toEqual(['monitoring', 'webservers']);
  });
});
