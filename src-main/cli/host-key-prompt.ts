import { createInterface } from 'node:readline/promises';
import type { HostKeyAsker, HostKeyQuestion } from '../transport/ssh';

/**
 * Asks on the terminal, one question at a time (a parallel run may meet several new hosts at
 * once), the way OpenSSH does. Only used when stdin is a terminal: scripts and schedules
 * never wait for an answer that cannot come.
 */
export function terminalHostKeyAsker(): HostKeyAsker | undefined {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const ask = async (q: HostKeyQuestion): Promise<boolean> => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = await rl.question(
        `\nThe authenticity of ${q.element} (${q.host}:${q.port}) can't be established.\n` +
          `${q.keyType} key fingerprint is ${q.fingerprint}.\nTrust this key and connect? (yes/no) `,
      );
      return /^y(es)?$/i.test(answer.trim());
    } finally {
      rl.close();
    }
  };
  return (q) => {
    const next = queue.then(() => ask(q));
    queue = next.catch(() => undefined);
    return next;
  };
}
