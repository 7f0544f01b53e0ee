// Module hooks for tests that check what a CLI process loads: every module URL an import
// resolves to is appended, one per line, to the file named by FLOWDECK_MODULE_LOG. Registered
// with `node --import` (see moduleLogArgs in test/support/module-log.ts).
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (process.env.FLOWDECK_MODULE_LOG) appendFileSync(process.env.FLOWDECK_MODULE_LOG, result.url + '\n');
  return result;
}
