import { beforeEach, describe, expect, it } from 'vitest';
import { answeredHostKey, answerFailed, answeringHostKey, askHostKey, forgetHostKeys, settledHostKey, useHostKeyQuestions, type HostKeyQuestion } from './host-keys';

const question = (id: string, element = 'box'): HostKeyQuestion => ({ id, element, host: '127.0.0.1', port: 22, keyType: 'ssh-ed25519', fingerprint: `SHA256:${id}` });
const ids = (): string[] => useHostKeyQuestions.getState().questions.map((q) => q.id);
const closed = (): string | null => useHostKeyQuestions.getState().closedElsewhere?.id ?? null;

describe('host key questions in one window', () => {
  beforeEach(() => useHostKeyQuestions.setState({ questions: [], answering: null, closedElsewhere: null }));

  it('settled elsewhere while on screen: dropped, and the window is told', () => {
    askHostKey(question('a'));
    askHostKey(question('b'));
    settledHostKey('a');
    expect(ids()).toEqual(['b']);
    expect(closed()).toBe('a');
  });

  it('settled while still queued behind another: dropped without a word (never seen here)', () => {
    askHostKey(question('a'));
    askHostKey(question('b'));
    settledHostKey('b');
    expect(ids()).toEqual(['a']);
    expect(closed()).toBeNull();
  });

  it("this window's own answer: main's settled event (before the reply) is no news", () => {
    askHostKey(question('a'));
    answeringHostKey('a');
    settledHostKey('a');
    answeredHostKey(question('a'), true);
    expect(ids()).toEqual([]);
    expect(closed()).toBeNull();
    expect(useHostKeyQuestions.getState().answering).toBeNull();
  });

  it('an answer main no longer takes (answered elsewhere a moment before): the window is told', () => {
    askHostKey(question('a'));
    answeringHostKey('a');
    settledHostKey('a');
    answeredHostKey(question('a'), false);
    expect(ids()).toEqual([]);
    expect(closed()).toBe('a');
  });

  it('an answer that never reached main keeps the question to answer again', () => {
    askHostKey(question('a'));
    answeringHostKey('a');
    answerFailed('a');
    expect(ids()).toEqual(['a']);
    expect(useHostKeyQuestions.getState().answering).toBeNull();
  });

  it('a question asked twice (re-sent on connect) is listed once; a reconnect starts from what main re-sends', () => {
    askHostKey(question('a'));
    askHostKey(question('a'));
    expect(ids()).toEqual(['a']);
    forgetHostKeys();
    expect(ids()).toEqual([]);
  });

  it('settling an unknown id changes nothing', () => {
    askHostKey(question('a'));
    const before = useHostKeyQuestions.getState();
    settledHostKey('zzz');
    expect(useHostKeyQuestions.getState()).toBe(before);
  });
});
