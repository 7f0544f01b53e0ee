// The Runners page: each zone's runners as Redis knows them, a runner that stops shown as lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../support/redis';
import { startRunnerProcess, type RunnerProcess } from '../support/runners';
import { byTestId, eventually, screenshot, textOf, useConsole } from './support/console';

describe('e2e: runners', () => {
  const console_ = useConsole();
  let redis: TestRedis;
  let runner: RunnerProcess;

  beforeAll(async () => {
    redis = await startRedis();
    runner = await startRunnerProcess({ zone: 'east', name: 'r-east-1', redisUrl: redis.url, concurrency: 5 });
  }, 60_000);

  afterAll(async () => {
    await runner?.stop();
    runner?.ws.dispose();
    await redis?.stop();
  });

  it('lists the zone and its runner, alive, with its capacity; says when no Redis is set', async () => {
    const { page } = await console_.open({}, { env: { FLOWDECK_REDIS_URL: redis.url } });
    await byTestId(page, 'nav-runners').click();
    const row = page.locator('[data-testid="runner-zone"][data-zone="east"] [data-testid="runner-row"][data-runner="r-east-1"]');
    await row.waitFor();
    expect(await row.getAttribute('data-alive')).toBe('true');
    expect(await textOf(row)).toMatch(/0 \/ 5/);
    expect(await byTestId(page, 'runners-redis').getAttribute('data-reachable')).toBe('true');
    // The page never shows Redis's password.
    expect(await textOf(byTestId(page, 'runners-page'))).not.toContain(redis.password);
    await screenshot(page, 'runners', { docs: true });

    const bare = await console_.open();
    await byTestId(bare.page, 'nav-runners').click();
    await eventually(() => textOf(byTestId(bare.page, 'runners-no-redis'))).toMatch(/No Redis is set/);
  });

  it("the element editor sets an element's zone, and clears it", async () => {
    const { page, server } = await console_.open({ inventory: 'elements:\n  - { id: far1, name: far1, host: 10.9.0.1 }\n' });
    await byTestId(page, 'nav-inventory').click();
    await page.locator('[data-testid="inventory-row"][data-element="far1"]').click();
    await byTestId(page, 'element-zone').fill('dc-east');
    await byTestId(page, 'element-save').click();
    const zoneOf = async (): Promise<string | undefined> =>
      (JSON.parse((await server.cli(['inventory', 'list', '--json'])).stdout) as Array<{ id: string; zone?: string }>).find((e) => e.id === 'far1')?.zone;
    await eventually(zoneOf).toBe('dc-east');
    await byTestId(page, 'element-zone').fill('');
    await byTestId(page, 'element-save').click();
    await eventually(zoneOf).toBeUndefined();
  });
});
