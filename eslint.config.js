// Flat ESLint config. Besides the usual recommended rules it enforces Flowdeck's folder
// boundaries with `no-restricted-imports` per folder:
//   src-main/app  the thin Electron entry: the only place that may import `electron`
//   src-main      plain Node (engine, store, CLI...): no `electron`, nothing from src-renderer
//   src-shared    runs on both sides: no `electron`, no Node built-ins, no DOM or Node globals,
//                 nothing from src-main or src-renderer
//   src-renderer  sandboxed browser code: no `electron`, no Node built-ins, nothing from src-main
//   test, bench   run under plain Node: no `electron`
// test/lint/boundaries.test.ts proves each rule fires.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const MESSAGES = {
  electron:
    "Only src-main/app (the thin Electron entry) may import 'electron': the engine, the CLI, " +
    'the headless console and the tests run under plain Node, and the renderer reaches main ' +
    'only through window.flowdeck.',
  sharedBuiltins:
    'src-shared runs in main AND in the renderer: no Node built-ins here. Put Node code in ' +
    'src-main and pass plain data through the shared contract.',
  rendererBuiltins:
    'The renderer is sandboxed browser code: Node built-ins do not exist there. Ask main ' +
    'through window.flowdeck (the src-shared contract) instead.',
  sharedImportsMain:
    'src-shared must not depend on src-main: shared code holds types, schemas and pure ' +
    'helpers that both sides use.',
  sharedImportsRenderer:
    'src-shared must not depend on src-renderer: shared code holds types, schemas and pure ' +
    'helpers that both sides use.',
  rendererImportsMain:
    'The renderer must not import src-main: it talks to main only through window.flowdeck ' +
    'and the contract in src-shared.',
  mainImportsRenderer:
    'src-main must not import src-renderer: UI code does not belong in the main process; ' +
    'share types and schemas through src-shared.',
  sharedDomGlobal:
    'src-shared runs in main too, where there is no DOM: keep browser APIs in src-renderer.',
  sharedIoGlobal:
    'src-shared is pure (types, schemas, helpers): no I/O. Network calls belong in src-main ' +
    'or behind the renderer contract.',
  sharedNodeGlobal:
    'src-shared runs in the sandboxed renderer too, where Node globals do not exist: keep ' +
    'them in src-main.',
  rendererNodeGlobal:
    'The renderer is sandboxed: Node globals do not exist there. Ask main through ' +
    'window.flowdeck instead.',
};

/**
 * One restriction: module specifiers caught by exact name (`paths`) or by regex (`patterns`),
 * plus the same regexes applied to dynamic `import()` so it is not a way around the rule.
 */
function restriction(message, { names = [], regexes = [] }) {
  return { message, names, regexes };
}

const electronImports = restriction(MESSAGES.electron, {
  names: ['electron'],
  regexes: ['^electron/'],
});

// Every built-in by its bare name (fs, path, child_process, fs/promises...) and anything `node:`.
const builtinNames = builtinModules.filter((name) => !name.startsWith('node:'));
const builtinImports = (message) =>
  restriction(message, { names: builtinNames, regexes: ['^node:'] });

const folderImports = (folder, message) =>
  restriction(message, { regexes: [`(^|/)${folder}(/|$)`] });

/**
 * Another folder of src-main, reached by a relative path (`../ipc/x`, `../../ipc`): a layer.
 * `src-shared/ipc` is not `src-main/ipc`, so the path must climb straight to the folder.
 */
const mainFolderImports = (folders, message) =>
  restriction(message, { regexes: [`^(\\.\\./)+(${folders.join('|')})(/|$)`] });

/** What each inner layer of src-main must not reach: the engine decides, the store records, transports act. */
const LAYER_MESSAGES = {
  engine:
    'The engine is the core: it never imports ipc, cli, headless, app, host or services (they ' +
    'drive it); give it what it needs through EngineDeps instead.',
  store:
    'The store holds SQL only: it never imports engine, transport or ipc, and parses no keys ' +
    '(ssh2); take checked values as arguments instead.',
  transport:
    'A transport runs one command: it never imports engine or ipc; the engine hands it what ' +
    'it needs.',
  services:
    'Background services serve the app and the console: they never import ipc, cli, headless, ' +
    'app or host (which start them).',
};

/** Rules for one folder: `no-restricted-imports` and the matching dynamic-import check. */
function boundaryRules(...restrictions) {
  const paths = restrictions.flatMap(({ message, names }) =>
    names.map((name) => ({ name, message })),
  );
  const patterns = restrictions.flatMap(({ message, regexes }) =>
    regexes.map((regex) => ({ regex, message })),
  );
  const dynamicImports = restrictions.map(({ message, names, regexes }) => {
    const sources = [
      ...names.map((name) => `^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
      ...regexes,
    ];
    // ESLint selector regexes cannot contain '/', so it is written as \u002F.
    const regex = sources.join('|').replaceAll('/', '\\u002F');
    return { selector: `ImportExpression[source.value=/${regex}/]`, message };
  });
  return {
    'no-restricted-imports': ['error', { paths, patterns }],
    'no-restricted-syntax': ['error', ...dynamicImports],
  };
}

const globalsRule = (groups) => [
  'error',
  ...groups.flatMap(({ names, message }) => names.map((name) => ({ name, message }))),
];

const DOM_GLOBALS = [
  'window',
  'document',
  'navigator',
  'location',
  'history',
  'localStorage',
  'sessionStorage',
  'indexedDB',
];
// fetch exists in Node too, so it is not "DOM"; it is I/O, which shared code must not do.
const IO_GLOBALS = ['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource'];
const NODE_GLOBALS = [
  'process',
  'Buffer',
  'require',
  'module',
  '__dirname',
  '__filename',
  'global',
  'setImmediate',
  'clearImmediate',
];

/** The Node globals that plain .js/.mjs files (scripts, configs) use. */
const NODE_SCRIPT_GLOBALS = Object.fromEntries(
  [
    'process',
    'console',
    'Buffer',
    'URL',
    'URLSearchParams',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'structuredClone',
    'AbortController',
    'AbortSignal',
  ].map((name) => [name, 'readonly']),
);

export default defineConfig(
  globalIgnores(['out/', 'dist/', 'node_modules/', '.native/', 'test-results/']),

  js.configs.recommended,
  tseslint.configs.recommended,

  {
    name: 'flowdeck/common',
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
    },
  },

  {
    name: 'flowdeck/plain-js-is-node',
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: NODE_SCRIPT_GLOBALS },
  },
  {
    name: 'flowdeck/commonjs-configs',
    files: ['**/*.cjs'],
    languageOptions: { globals: { ...NODE_SCRIPT_GLOBALS, module: 'writable', require: 'readonly' } },
  },

  // --- Folder boundaries (later blocks override earlier ones for the same files) ---

  {
    name: 'flowdeck/boundaries/src-main',
    files: ['src-main/**'],
    rules: boundaryRules(electronImports, folderImports('src-renderer', MESSAGES.mainImportsRenderer)),
  },
  {
    name: 'flowdeck/layers/engine',
    files: ['src-main/engine/**'],
    // Tests beside the code may reach across layers to set up what they check.
    ignores: ['**/*.test.ts'],
    rules: boundaryRules(
      electronImports,
      folderImports('src-renderer', MESSAGES.mainImportsRenderer),
      mainFolderImports(['ipc', 'cli', 'headless', 'app', 'host', 'services'], LAYER_MESSAGES.engine),
    ),
  },
  {
    name: 'flowdeck/layers/store',
    files: ['src-main/store/**'],
    // Tests beside the code may reach across layers to set up what they check.
    ignores: ['**/*.test.ts'],
    rules: boundaryRules(
      electronImports,
      folderImports('src-renderer', MESSAGES.mainImportsRenderer),
      mainFolderImports(['engine', 'transport', 'ipc'], LAYER_MESSAGES.store),
      restriction(LAYER_MESSAGES.store, { names: ['ssh2'] }),
    ),
  },
  {
    name: 'flowdeck/layers/transport',
    files: ['src-main/transport/**'],
    // Tests beside the code may reach across layers to set up what they check.
    ignores: ['**/*.test.ts'],
    rules: boundaryRules(
      electronImports,
      folderImports('src-renderer', MESSAGES.mainImportsRenderer),
      mainFolderImports(['engine', 'ipc'], LAYER_MESSAGES.transport),
    ),
  },
  {
    name: 'flowdeck/layers/services',
    files: ['src-main/services/**'],
    // Tests beside the code may reach across layers to set up what they check.
    ignores: ['**/*.test.ts'],
    rules: boundaryRules(
      electronImports,
      folderImports('src-renderer', MESSAGES.mainImportsRenderer),
      mainFolderImports(['ipc', 'cli', 'headless', 'app', 'host'], LAYER_MESSAGES.services),
    ),
  },
  {
    name: 'flowdeck/boundaries/src-main-app',
    files: ['src-main/app/**'],
    rules: boundaryRules(folderImports('src-renderer', MESSAGES.mainImportsRenderer)),
  },
  {
    name: 'flowdeck/boundaries/src-shared',
    files: ['src-shared/**'],
    rules: {
      ...boundaryRules(
        electronImports,
        builtinImports(MESSAGES.sharedBuiltins),
        folderImports('src-main', MESSAGES.sharedImportsMain),
        folderImports('src-renderer', MESSAGES.sharedImportsRenderer),
      ),
      'no-restricted-globals': globalsRule([
        { names: DOM_GLOBALS, message: MESSAGES.sharedDomGlobal },
        { names: IO_GLOBALS, message: MESSAGES.sharedIoGlobal },
        { names: NODE_GLOBALS, message: MESSAGES.sharedNodeGlobal },
      ]),
    },
  },
  {
    name: 'flowdeck/boundaries/src-renderer',
    files: ['src-renderer/**'],
    rules: {
      ...boundaryRules(
        electronImports,
        builtinImports(MESSAGES.rendererBuiltins),
        folderImports('src-main', MESSAGES.rendererImportsMain),
      ),
      'no-restricted-globals': globalsRule([
        { names: NODE_GLOBALS, message: MESSAGES.rendererNodeGlobal },
      ]),
    },
  },
  {
    name: 'flowdeck/boundaries/test-and-bench',
    files: ['test/**', 'bench/**'],
    rules: boundaryRules(electronImports),
  },
);
