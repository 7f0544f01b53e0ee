import { describe, expect, it } from 'vitest';
import { FailedAuthLimiter } from './failed-auth-limiter';

describe('FailedAuthLimiter', () => {
  it('blocks a trigger after five failures within a second, per trigger, until the window moves on', () => {
    let now = 10_000;
    const limiter = new FailedAuthLimiter(5, 1000, () => now);
    for (let i = 0; i < 4; i++) {
      limiter.fail('a');
      now += 100;
    }
    expect(limiter.blockedFor('a')).toBe(0);
    limiter.fail('a');
    expect(limiter.blockedFor('a')).toBe(600);
    expect(limiter.blockedFor('b')).toBe(0);
    now += 599;
    expect(limiter.blockedFor('a')).toBe(1);
    now += 1;
    expect(limiter.blockedFor('a')).toBe(0);
  });
});
