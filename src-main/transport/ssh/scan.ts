import { Client } from 'ssh2';
import { FlowdeckError } from '../../../src-shared/errors';

/** Fetches the host key a server presents (like ssh-keyscan), without authenticating. */
export function scanHostKey(host: string, port: number, timeoutMs = 10_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let key: Buffer | undefined;
    client.on('error', (err: Error) => {
      if (key) resolve(key);
      else reject(new FlowdeckError('invalid-input', `${host}:${port}: cannot read the host key: ${err.message}`));
    });
    client.on('ready', () => client.end());
    client.connect({
      host,
      port,
      username: 'flowdeck-keyscan',
      readyTimeout: timeoutMs,
      // Refusing the key ends the handshake here: nothing is sent that could authenticate.
      hostVerifier: (k: Buffer) => {
        key = Buffer.from(k);
        return false;
      },
    });
  });
}
