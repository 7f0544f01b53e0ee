// The TCP step of an SSH connection: however it ends (connected, refused, cancelled), it leaves
// no timer behind, so a cancelled run's process exits at once rather than at the connect timeout.
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ResolvedElement } from '../../../src-shared/domain/inventory';
import { tcp } from './connect';

function element(port: number): ResolvedElement {
  return { id: 'box', name: 'box', host: '127.0.0.1', port, transport: 'ssh', hostKeyPolicy: 'strict', groups: [], context: {}, enabled: true };
}

describe('tcp', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((s) => s.end());
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('connects, and keeps no timer once connected', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const sock = await tcp(element(port), { connectTimeoutMs: 10_000, signal: new AbortController().signal });
      expect(vi.getTimerCount()).toBe(0);
      sock.destroy();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a connect cancelled before it completes rejects at once and keeps no timer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const stop = new AbortController();
      const pending = tcp(element(port), { connectTimeoutMs: 10_000, signal: stop.signal });
      expect(vi.getTimerCount()).toBe(1);
      stop.abort();
      await expect(pending).rejects.toThrow('box (127.0.0.1:' + port + '): connection cancelled');
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a refused connect says so and keeps no timer', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise<void>((done) => closed.close(() => done()));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      await expect(tcp(element(freePort), { connectTimeoutMs: 10_000, signal: new AbortController().signal })).rejects.toThrow(
        'connection refused (is sshd running on that port?)',
      );
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
