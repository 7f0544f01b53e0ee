import { describe, expect, it } from 'vitest';
import type { Events } from '../../src-shared/ipc/contract';
import { createHostKeyBroker } from '../../src-main/ipc/host-key-broker';
import { IpcHarness } from './harness';

type Question = Events['hostKey/question'];
const q = { element: 'web1', host: '10.0.0.5', port: 22, keyType: 'ssh-ed25519', fingerprint: 'SHA256:AbCdEf' };

describe('host key questions over IPC', () => {
  it('asks with a random id and waits for the matching answer; every window hears when it is settled', async () => {
    const asked: Question[] = [];
    const settled: string[] = [];
    const broker = createHostKeyBroker((e, p) => (e === 'hostKey/question' ? asked.push(p as Question) : settled.push(p.id)));
    const yes = broker.ask(q);
    const no = broker.ask({ ...q, host: '10.0.0.6' });
    expect(asked).toHaveLength(2);
    const [first, second] = asked as [Question, Question];
    expect(first).toEqual({ id: expect.any(String), ...q });
    expect(first.id).not.toBe(second.id);
    expect(broker.pending().map((p) => p.id)).toEqual([first.id, second.id]);
    expect(broker.answer(second.id, false)).toBe(true);
    expect(settled).toEqual([second.id]);
    expect(broker.answer(first.id, true)).toBe(true);
    expect(settled).toEqual([second.id, first.id]);
    await expect(yes).resolves.toBe(true);
    await expect(no).resolves.toBe(false);
    // Answered once: a second answer (another window) is not accepted.
    expect(broker.answer(first.id, false)).toBe(false);
    expect(broker.answer('made-up', true)).toBe(false);
    expect(broker.pending()).toEqual([]);
  });

  it('no answer in time means the key is not trusted, and the question is withdrawn from every window', async () => {
    const settled: string[] = [];
    const broker = createHostKeyBroker((e, p) => e === 'hostKey/settled' && settled.push(p.id), { timeoutMs: 30 });
    await expect(broker.ask(q)).resolves.toBe(false);
    expect(broker.pending()).toEqual([]);
    expect(settled).toHaveLength(1);
  });

  it('closing refuses what waits, and every later question', async () => {
    const broker = createHostKeyBroker(() => undefined);
    const waiting = broker.ask(q);
    broker.close();
    await expect(waiting).resolves.toBe(false);
    await expect(broker.ask(q)).resolves.toBe(false);
  });

  it('hostKey/answer reaches the broker through the dispatcher', async () => {
    const asked: Question[] = [];
    const broker = createHostKeyBroker((e, p) => e === 'hostKey/question' && asked.push(p as Question));
    const h = await new IpcHarness().open(broker);
    try {
      const answer = broker.ask(q);
      const id = asked[0]?.id ?? '';
      expect(await h.value('hostKey/answer', { id, trust: true })).toEqual({ accepted: true });
      await expect(answer).resolves.toBe(true);
      expect(await h.value('hostKey/answer', { id, trust: true })).toEqual({ accepted: false });
    } finally {
      await h.close();
    }
  });
});
