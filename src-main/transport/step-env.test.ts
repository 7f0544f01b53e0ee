import { describe, expect, it } from 'vitest';
import { stepEnvironment } from './step-env';

describe('stepEnvironment', () => {
  it("keeps the operator's variables, drops every FLOWDECK_ one, and lets the step's own env win", () => {
    const env = stepEnvironment(
      { PATH: '/bin', HOME: '/root', SSH_AUTH_SOCK: '/tmp/agent', FLOWDECK_SECRET_KEY: 'k', FLOWDECK_DB: '/x.db', flowdeck_pw: 'p', NOT_FLOWDECK_X: 'kept', UNSET: undefined },
      { FLOWDECK_RUNNER: 'zone-a', PATH: '/opt/bin' },
    );
    expect(env).toEqual({ PATH: '/opt/bin', HOME: '/root', SSH_AUTH_SOCK: '/tmp/agent', NOT_FLOWDECK_X: 'kept', FLOWDECK_RUNNER: 'zone-a' });
  });
});
