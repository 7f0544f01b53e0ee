// The remote wrapper run by this machine's /bin/sh, as sshd would run it: in a new session
// (so `$$` is its process group) with a pipe for standard input that the test holds open, as
// Flowdeck's channel does. What happens when the connection itself drops is the sshd suite's
// (test/ssh/owner-death.test.ts).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PGID_MARKER, remoteInput, wrapRemoteCommand } from './remote-command';

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the wrapped command; `input` is written, then stdin stays open unless `closeInput`. */
function run(command: string, opts: { script?: string; write?: (payload: Buffer) => Buffer; closeInput?: boolean } = {}): Promise<Outcome> {
  const input = opts.script !== undefined ? remoteInput(opts.script) : undefined;
  const child = spawn('/bin/sh', ['-c', wrapRemoteCommand(command, { GREETING: "it's me" }, input)], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  if (input) child.stdin.write(opts.write ? opts.write(input.payload) : input.payload);
  if (opts.closeInput) child.stdin.end();
  return new Promise((resolve) => {
    child.on('close', (code) => {
      child.stdin.destroy();
      resolve({ code, stdout, stderr: stderr.replace(new RegExp(`^${PGID_MARKER}\\d+\\n`), '') });
    });
  });
}

describe('wrapRemoteCommand', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowdeck-wrap-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a command in the shell with its variables, stdin at EOF, its exit status kept (also from `exit`)', async () => {
    expect(await run('echo "$GREETING"; cat; exit 7')).toEqual({ code: 7, stdout: "it's me\n", stderr: '' });
    expect(await run('# a leading comment\nfalse')).toMatchObject({ code: 1 });
  });

  it('gives a script step exactly its script on stdin, then EOF', async () => {
    const script = "quotes ' \" $HOME \\ and FLOWDECK_END_0\n\n\nno final newline";
    expect(await run('cat', { script })).toEqual({ code: 0, stdout: script, stderr: '' });
    expect(await run('/bin/sh', { script: 'echo "one $GREETING"\necho two\n' })).toEqual({ code: 0, stdout: "one it's me\ntwo\n", stderr: '' });
  });

  it('never runs a script that did not arrive whole', async () => {
    const marker = join(dir, 'ran');
    const r = await run('/bin/sh', { script: `echo ran > ${marker}\n`, write: (p) => p.subarray(0, 8), closeInput: true });
    expect(r.code).toBe(255);
    expect(r.stderr).toContain('did not arrive whole');
    expect(existsSync(marker)).toBe(false);
  });

  it('a client that closes its input early while the session lives does not stop the command', async () => {
    expect(await run('sleep 0.3; echo done', { closeInput: true })).toEqual({ code: 0, stdout: 'done\n', stderr: '' });
  });
});
