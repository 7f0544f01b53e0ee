// The sample inventory and flows the app ships (resources/samples) must keep working as the
// formats evolve: imported and run through the CLI on a real database, on this machine.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionReport } from '../../src-shared/domain/execution';
import { repoRoot, Workspace } from '../support/cli';

const samples = join(repoRoot, 'resources', 'samples');
const flowFiles = readdirSync(join(samples, 'flows')).map((name) => join(samples, 'flows', name));

describe('the shipped samples, through the CLI', () => {
  const ws = new Workspace('flowdeck-samples-');

  beforeAll(async () => {
    const inventory = await ws.run(['inventory', 'import', join(samples, 'inventory.yaml')]);
    expect(inventory.code, inventory.stderr).toBe(0);
    const validate = await ws.run(['flow', 'validate', ...flowFiles]);
    expect(validate.code, validate.stderr).toBe(0);
    const flows = await ws.run(['flow', 'import', ...flowFiles]);
    expect(flows.code, flows.stderr).toBe(0);
  });
  afterAll(() => ws.dispose());

  it('the inventory adds four local elements in the demo group', async () => {
    const elements = await ws.json<Array<{ id: string; transport: string; groups: string[] }>>(['inventory', 'list', '--json']);
    const demo = elements.filter((e) => e.groups.includes('demo'));
    expect(demo.map((e) => e.id).sort()).toEqual(['local-db1', 'local-db2', 'local-web1', 'local-web2']);
    for (const e of demo) expect(e.transport).toBe('local');
  });

  it('the health check succeeds on every element', async () => {
    const r = await ws.run(['run', 'local-health-check', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as ExecutionReport;
    expect(report.status).toBe('succeeded');
    expect(new Set(report.runs.map((run) => run.element))).toEqual(new Set(['local-db1', 'local-db2', 'local-web1', 'local-web2']));
  });

  it('the rolling restart takes one element at a time, the primary last, each verified by its child flow', async () => {
    const plan = await ws.json<{ elements: string[] }>(['run', 'local-rolling-restart', '--dry-run', '--json']);
    expect(plan.elements).toEqual(['local-db2', 'local-web1', 'local-web2', 'local-db1']);
    const r = await ws.run(['run', 'local-rolling-restart', '--param', 'reason=sample-test', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as ExecutionReport;
    expect(report.status).toBe('succeeded');
    const ran = report.runs.filter((run) => run.step !== 'verify').map((run) => `${run.step}@${run.element}`);
    expect(ran.slice(-4)).toEqual(['drain@local-db1', 'restart@local-db1', 'verify/ping@local-db1', 'verify/role@local-db1']);
    const drain = await ws.run(['logs', String(report.id), '--element', 'local-web1', '--step', 'drain', '--raw']);
    expect(drain.stdout).toContain('draining local-web1 (sample-test)');
    const role = await ws.run(['logs', String(report.id), '--element', 'local-db1', '--step', 'verify/role', '--raw']);
    expect(role.stdout).toContain('role: primary');
  });
});
