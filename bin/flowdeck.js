#!/usr/bin/env node
// The CLI runs the TypeScript engine directly through tsx, so `npx flowdeck` works right
// after `npm install` with no build step, on the very code the tests exercise.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src-main/cli/main.ts');
const code = await main(process.argv);
// tsx's loader keeps a message port open; once our output is flushed there is nothing left to wait for.
const flushed = (stream) => new Promise((resolve) => (stream.writableLength === 0 ? resolve() : stream.once('drain', resolve)));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);
