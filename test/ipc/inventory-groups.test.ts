import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IpcHarness } from './harness';

const inventory = `
groups:
  - { name: db, vars: { tier: data } }
elements:
  - { id: pg1, name: pg1, host: localhost, transport: local, groups: [db] }
`;

describe('inventory groups and profiles through the dispatcher', () => {
  const h = new IpcHarness();
  beforeAll(async () => {
    await h.open();
    await h.value('inventory/import', { fileName: 'inv.yaml', text: inventory });
  });
  afterAll(() => h.close());

  const effective = async (id: string): Promise<unknown> => (await h.value('inventory/list', {})).elements.find((e) => e.id === id)?.context;

  it('saves a group whose vars reach the members of its child group (dotted keys nest)', async () => {
    expect(await h.value('inventory/saveGroup', { group: { name: 'eu', vars: { region: 'eu-west', 'backup.window': '02:00' }, children: ['db'] } })).toEqual({ name: 'eu' });
    const doc = (await h.value('inventory/list', {})).document;
    expect(doc.groups.find((g) => g.name === 'eu')).toEqual({ name: 'eu', vars: { region: 'eu-west', 'backup.window': '02:00' }, children: ['db'] });
    expect(await effective('pg1')).toEqual({ tier: 'data', region: 'eu-west', backup: { window: '02:00' } });
  });

  it('refuses a group that would contain itself, directly or through another, and stores nothing', async () => {
    const self = await h.call('inventory/saveGroup', { group: { name: 'db', vars: {}, children: ['db'] } });
    expect(self).toMatchObject({ ok: false, error: { code: 'cycle', message: expect.stringContaining('its own child') } });
    const loop = await h.call('inventory/saveGroup', { group: { name: 'db', vars: { tier: 'data' }, children: ['eu'] } });
    expect(loop).toMatchObject({ ok: false, error: { code: 'cycle', message: expect.stringContaining('db -> eu -> db') } });
    const doc = (await h.value('inventory/list', {})).document;
    expect(doc.groups.find((g) => g.name === 'db')?.children).toEqual([]);
  });

  it('refuses an unknown child group and a malformed name (schema)', async () => {
    expect(await h.call('inventory/saveGroup', { group: { name: 'x', vars: {}, children: ['nope'] } })).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: expect.stringContaining('"nope"') },
    });
    const bad = await h.call('inventory/saveGroup', { group: { name: 'has space', vars: {}, children: [] } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('refuses to delete a group that elements or groups still use, deletes it once unused', async () => {
    expect(await h.call('inventory/deleteGroup', { name: 'db' })).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('pg1') } });
    // Take pg1 out of db: now only the group eu still names it.
    await h.value('inventory/saveElement', { element: { id: 'pg1', name: 'pg1', host: 'localhost', transport: 'local', groups: [] } });
    expect(await h.call('inventory/deleteGroup', { name: 'db' })).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('child of eu') } });
    await h.value('inventory/saveGroup', { group: { name: 'eu', vars: { region: 'eu-west' }, children: [] } });
    expect(await h.value('inventory/deleteGroup', { name: 'db' })).toEqual({ deleted: true });
    expect(await h.value('inventory/deleteGroup', { name: 'db' })).toEqual({ deleted: false });
    expect((await h.value('inventory/list', {})).document.groups.map((g) => g.name)).toEqual(['eu']);
  });

  it('saves a profile whose defaults reach its elements below their own values', async () => {
    expect(await h.value('inventory/saveProfile', { profile: { id: 'postgres', name: 'PostgreSQL', port: 5433, user: 'postgres', context: { engine: 'pg', role: 'replica' } } })).toEqual({ id: 'postgres' });
    await h.value('inventory/saveElement', { element: { id: 'pg1', name: 'pg1', host: 'localhost', transport: 'local', profile: 'postgres', groups: ['eu'], context: { role: 'leader' } } });
    const pg1 = (await h.value('inventory/list', {})).elements.find((e) => e.id === 'pg1');
    expect(pg1).toMatchObject({ port: 5433, user: 'postgres', context: { engine: 'pg', region: 'eu-west', role: 'leader' } });
    const bad = await h.call('inventory/saveProfile', { profile: { id: 'p', port: 70000, context: {} } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await h.call('inventory/saveProfile', { profile: { id: 'p', credential: 'no-such-key', context: {} } })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'profile "p": unknown credential "no-such-key"' },
    });
    expect((await h.value('inventory/list', {})).document.profiles.map((p) => p.id)).toEqual(['postgres']);
  });

  it('refuses to delete a profile while an element uses it, deletes it once unused', async () => {
    expect(await h.call('inventory/deleteProfile', { id: 'postgres' })).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('pg1') } });
    await h.value('inventory/saveElement', { element: { id: 'pg1', name: 'pg1', host: 'localhost', transport: 'local', groups: ['eu'] } });
    expect(await h.value('inventory/deleteProfile', { id: 'postgres' })).toEqual({ deleted: true });
    expect((await h.value('inventory/list', {})).document.profiles).toEqual([]);
  });
});
