// Proves each folder-boundary rule in eslint.config.js fires where it should and stays quiet
// where the import is allowed. The files need not exist: lintText only uses the path to pick
// the config that applies.
import { resolve } from 'node:path';
import { ESLint, type Linter } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '../..');

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: repoRoot });
});

async function lint(code: string, filePath: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath });
  if (result === undefined) throw new Error(`ESLint returned no result for ${filePath}`);
  return result.messages;
}

async function errorsFrom(ruleId: string, code: string, filePath: string): Promise<Linter.LintMessage[]> {
  const messages = await lint(code, filePath);
  return messages.filter((message) => message.ruleId === ruleId && message.severity === 2);
}

const IMPORT_ELECTRON = "import { app } from 'electron';\nexport const ready = app.whenReady();\n";

describe('electron may be imported only in src-main/app', () => {
  it('allows it in src-main/app, with no error at all', async () => {
    expect(await lint(IMPORT_ELECTRON, 'src-main/app/window.ts')).toEqual([]);
  });

  it.each([
    'src-main/engine/x.ts',
    'src-main/store/x.ts',
    'src-main/cli/x.ts',
    'src-shared/x.ts',
    'src-renderer/x.tsx',
    'test/x.test.ts',
    'bench/x.ts',
  ])('refuses it in %s, saying why', async (filePath) => {
    const errors = await errorsFrom('no-restricted-imports', IMPORT_ELECTRON, filePath);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain('Only src-main/app');
  });

  it('refuses electron subpaths and re-exports outside src-main/app', async () => {
    const code = "import { ipcMain } from 'electron/main';\nexport { ipcMain };\nexport { app } from 'electron';\n";
    expect(await errorsFrom('no-restricted-imports', code, 'src-main/engine/x.ts')).toHaveLength(2);
  });

  it('refuses a dynamic import() of electron outside src-main/app', async () => {
    const code = "export const electron = await import('electron');\n";
    expect(await errorsFrom('no-restricted-syntax', code, 'src-main/engine/x.ts')).toHaveLength(1);
    expect(await errorsFrom('no-restricted-syntax', code, 'src-main/app/x.ts')).toEqual([]);
  });
});

describe('Node built-ins stay out of src-shared and src-renderer', () => {
  const cases = [
    "import fs from 'node:fs';\nexport const f = fs;\n",
    "import { join } from 'path';\nexport const j = join;\n",
    "import { spawn } from 'child_process';\nexport const s = spawn;\n",
    "import { readFile } from 'fs/promises';\nexport const r = readFile;\n",
    "import { createHash } from 'crypto';\nexport const h = createHash;\n",
  ];

  it.each(cases)('refuses %j in src-shared', async (code) => {
    const errors = await errorsFrom('no-restricted-imports', code, 'src-shared/domain/x.ts');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain('src-shared runs in main AND in the renderer');
  });

  it.each(cases)('refuses %j in src-renderer', async (code) => {
    const errors = await errorsFrom('no-restricted-imports', code, 'src-renderer/pages/x.tsx');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain('renderer is sandboxed');
  });

  it.each(cases)('allows %j in src-main', async (code) => {
    expect(await errorsFrom('no-restricted-imports', code, 'src-main/engine/x.ts')).toEqual([]);
  });

  it('refuses a dynamic import() of a built-in in src-shared', async () => {
    const code = "export const fs = await import('node:fs');\n";
    expect(await errorsFrom('no-restricted-syntax', code, 'src-shared/x.ts')).toHaveLength(1);
  });
});

describe('imports across folders', () => {
  it.each([
    ["import { openDb } from '../src-main/store/db';\nexport const o = openDb;\n", 'src-shared/x.ts', 'must not depend on src-main'],
    ["import { App } from '../../src-renderer/App';\nexport const a = App;\n", 'src-shared/domain/x.ts', 'must not depend on src-renderer'],
    ["import { run } from '../src-main/engine/executor';\nexport const r = run;\n", 'src-renderer/x.tsx', 'renderer must not import src-main'],
    ["import { App } from '../../src-renderer/App';\nexport const a = App;\n", 'src-main/engine/x.ts', 'src-main must not import src-renderer'],
    ["import { App } from '../../src-renderer/App';\nexport const a = App;\n", 'src-main/app/x.ts', 'src-main must not import src-renderer'],
  ])('refuses %j in %s', async (code, filePath, why) => {
    const errors = await errorsFrom('no-restricted-imports', code, filePath);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain(why);
  });

  it.each([
    ["import { FlowSchema } from '../src-shared/domain/flow';\nexport const f = FlowSchema;\n", 'src-renderer/x.tsx'],
    ["import { FlowSchema } from '../../src-shared/domain/flow';\nexport const f = FlowSchema;\n", 'src-main/engine/x.ts'],
    ["import { merge } from './context/merge';\nexport const m = merge;\n", 'src-shared/x.ts'],
  ])('allows %j in %s', async (code, filePath) => {
    expect(await errorsFrom('no-restricted-imports', code, filePath)).toEqual([]);
  });
});

describe('globals in src-shared and src-renderer', () => {
  it.each([
    'window.alert("hi");',
    'document.title = "x";',
    'export const lang = navigator.language;',
    'localStorage.setItem("k", "v");',
    'export const r = fetch("https://example.com");',
    'export const env = process.env;',
    'export const b = Buffer.from("x");',
  ])('refuses %j in src-shared', async (code) => {
    expect(await errorsFrom('no-restricted-globals', code, 'src-shared/x.ts')).toHaveLength(1);
  });

  it('refuses Node globals in src-renderer but allows the DOM there', async () => {
    expect(await errorsFrom('no-restricted-globals', 'export const env = process.env;', 'src-renderer/x.tsx')).toHaveLength(1);
    expect(await errorsFrom('no-restricted-globals', 'document.title = "Flowdeck";', 'src-renderer/x.tsx')).toEqual([]);
  });

  it('leaves src-main free to use Node globals', async () => {
    expect(await errorsFrom('no-restricted-globals', 'export const env = process.env;', 'src-main/engine/x.ts')).toEqual([]);
  });

  it('does not mistake a local variable for the global', async () => {
    const code = 'export function f(window: number): number {\n  return window + 1;\n}\n';
    expect(await errorsFrom('no-restricted-globals', code, 'src-shared/x.ts')).toEqual([]);
  });
});

describe('TypeScript rules', () => {
  it('refuses explicit any', async () => {
    const code = 'export function f(value: any): string {\n  return String(value);\n}\n';
    expect(await errorsFrom('@typescript-eslint/no-explicit-any', code, 'src-main/engine/x.ts')).toHaveLength(1);
  });

  it('refuses unused variables unless they start with _', async () => {
    const code =
      'export function f(_unusedArg: number, used: number): number {\n' +
      '  const unused = 1;\n' +
      '  const _ignored = 2;\n' +
      '  return used;\n' +
      '}\n';
    const errors = await errorsFrom('@typescript-eslint/no-unused-vars', code, 'src-main/engine/x.ts');
    expect(errors.map((error) => error.message)).toEqual([expect.stringContaining("'unused'")]);
  });
});

describe('the inner layers of src-main hold', () => {
  it.each([
    ['src-main/engine/x.ts', "import { createHandlers } from '../ipc/handlers';", 'The engine is the core'],
    ['src-main/engine/x.ts', "import { main } from '../cli/main';", 'The engine is the core'],
    ['src-main/engine/sub/x.ts', "import { startHeadless } from '../../headless/server';", 'The engine is the core'],
    ['src-main/engine/x.ts', "import { wireEngine } from '../app/engine-bridge';", 'The engine is the core'],
    ['src-main/engine/x.ts', "import { startBackground } from '../services/background';", 'The engine is the core'],
    ['src-main/store/x.ts', "import { startRun } from '../engine/executor';", 'The store holds SQL only'],
    ['src-main/store/x.ts', "import { localTransport } from '../transport/local';", 'The store holds SQL only'],
    ['src-main/store/x.ts', "import { createDispatcher } from '../ipc/dispatcher';", 'The store holds SQL only'],
    ['src-main/store/x.ts', "import ssh2 from 'ssh2';", 'parses no keys'],
    ['src-main/transport/x.ts', "import { startRun } from '../engine/executor';", 'A transport runs one command'],
    ['src-main/transport/ssh/x.ts', "import { createDispatcher } from '../../ipc/dispatcher';", 'A transport runs one command'],
    ['src-main/services/x.ts', "import { createDispatcher } from '../ipc/dispatcher';", 'Background services'],
    ['src-main/services/x.ts', "import { openEngineHost } from '../host/engine-host';", 'Background services'],
  ])('%s may not `%s`', async (filePath, code, message) => {
    const errors = await errorsFrom('no-restricted-imports', `${code}\nexport const used = [];\n`, filePath);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain(message);
  });

  it('refuses the same through a dynamic import()', async () => {
    const errors = await errorsFrom('no-restricted-syntax', "export const h = await import('../ipc/handlers');\n", 'src-main/engine/x.ts');
    expect(errors).toHaveLength(1);
  });

  it.each([
    ['src-main/engine/x.ts', "import { getSettings } from '../store/settings-queries';"],
    ['src-main/engine/x.ts', "import type { Handlers } from '../../src-shared/ipc/contract';"],
    ['src-main/store/x.ts', "import type { SettingsView } from '../../src-shared/ipc/contract';"],
    ['src-main/transport/x.ts', "import type { Db } from '../store/db';"],
    ['src-main/services/x.ts', "import { startRun } from '../engine/executor';"],
    ['src-main/host/x.ts', "import { createDispatcher } from '../ipc/dispatcher';"],
    ['src-main/store/x.test.ts', "import ssh2 from 'ssh2';"],
  ])('%s may `%s`', async (filePath, code) => {
    expect(await errorsFrom('no-restricted-imports', `${code}\nexport const used = [];\n`, filePath)).toEqual([]);
  });
});
