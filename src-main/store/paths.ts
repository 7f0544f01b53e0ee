import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where Electron's `app.getPath('userData')` points for an app named Flowdeck, so the CLI and the window share one database. */
function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Flowdeck');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Flowdeck');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Flowdeck');
}

/** `--db PATH`, else FLOWDECK_DB, else the user data folder. */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.FLOWDECK_DB ?? join(userDataDir(env), 'flowdeck.db');
}
