/**
 * The environment a local command starts with: the operator's own, as any program they start
 * gets it (PATH, HOME, USER, LANG, SSH_AUTH_SOCK, proxies...), minus every `FLOWDECK_*`
 * variable. Those configure Flowdeck itself and some are secrets: FLOWDECK_SECRET_KEY decrypts
 * every stored credential, a password handed to `credential add --password-env FLOWDECK_PW` is
 * one, FLOWDECK_DB points at the whole history. A variable the engine means a step to see (a
 * step's `env:`, a runner's FLOWDECK_RUNNER) is set explicitly on top of this, never inherited.
 */
const FLOWDECK_ENV_PREFIX = 'FLOWDECK_';

export function stepEnvironment(inherited: NodeJS.ProcessEnv, given: Readonly<Record<string, string>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(inherited)) {
    if (value === undefined || name.toUpperCase().startsWith(FLOWDECK_ENV_PREFIX)) continue;
    env[name] = value;
  }
  return Object.assign(env, given);
}
