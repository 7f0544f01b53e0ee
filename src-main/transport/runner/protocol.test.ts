import { describe, expect, it } from 'vitest';
import type { ResolvedElement } from '../../../src-shared/domain/inventory';
import { decodeEntry, encodeEntry, fromWireElement, jumpElements, toWireElement, type StreamEntry } from './protocol';

const asFields = (e: StreamEntry): Buffer[] => encodeEntry(e).map((x) => (typeof x === 'string' ? Buffer.from(x, 'utf8') : x));

const element = (id: string, extra: Partial<ResolvedElement> = {}): ResolvedElement => ({
  id,
  name: id,
  host: `${id}.lan`,
  port: 22,
  transport: 'ssh',
  hostKeyPolicy: 'strict',
  groups: ['g'],
  context: { secret_ish: 'kept home' },
  enabled: true,
  ...extra,
});

describe('runner protocol', () => {
  it('stream entries survive the trip through Redis fields, output bytes unchanged', () => {
    const bytes = Buffer.from([0xe2, 0x82, 0x00, 0xff, 0x0a]);
    const entries: StreamEntry[] = [
      { kind: 'start', runner: 'r1', host: 'box' },
      { kind: 'output', stream: 'stdout', data: bytes },
      { kind: 'output', stream: 'stderr', data: Buffer.from('é\n') },
      { kind: 'exit', exitCode: 3, signal: null },
      { kind: 'exit', exitCode: null, signal: 'SIGTERM' },
      { kind: 'fail', cause: 'host-key', message: 'e1 (h:22): HOST KEY CHANGED' },
      { kind: 'back', reason: 'runner r1 is stopping' },
    ];
    for (const e of entries) expect(decodeEntry(asFields(e))).toEqual(e);
    expect(decodeEntry([Buffer.from('k'), Buffer.from('?')])).toBeUndefined();
  });

  it('a job carries where and as whom, a credential name and resolved jump hosts; never groups or context', () => {
    const bastion = element('bastion', { user: 'jump' });
    const target = element('db1', { jump: 'bastion, ops@10.9.9.9:2222', credential: 'deploy', user: 'pg', zone: 'dc' });
    const wire = toWireElement(target);
    expect(wire).toEqual({ id: 'db1', name: 'db1', host: 'db1.lan', port: 22, transport: 'ssh', hostKeyPolicy: 'strict', user: 'pg', credential: 'deploy', jump: 'bastion, ops@10.9.9.9:2222' });
    expect(JSON.stringify(wire)).not.toContain('kept home');
    expect(jumpElements(target, new Map([['bastion', bastion]]))).toEqual({ bastion: toWireElement(bastion) });
    expect(fromWireElement(wire)).toMatchObject({ id: 'db1', groups: [], context: {}, enabled: true });
  });
});
