import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { contentSecurityPolicy } from './src-shared/security/csp';

const root = import.meta.dirname;
const fromRoot = (...segments: string[]): string => resolve(root, ...segments);

/**
 * Packages that must never be bundled into the main process: native addons
 * (better-sqlite3, node-pty, cpu-features via ssh2), the QuickJS WebAssembly builds (they locate their
 * .wasm file next to their own module), and node-cron. Most are in `dependencies` and so are
 * externalised by electron-vite anyway; listing them keeps them external even if someone
 * moves one to devDependencies or disables `externalizeDeps`.
 */
const mainExternals: (string | RegExp)[] = [
  'better-sqlite3',
  'node-pty',
  'ssh2',
  'cpu-features',
  /^@jitl\//,
  'node-cron',
];

/**
 * In `electron-vite dev` only, @vitejs/plugin-react injects an inline `<script>` (the Fast
 * Refresh preamble) into index.html. Our CSP (`script-src 'self'`) refuses inline scripts, so
 * the renderer imports `@vitejs/plugin-react/preamble` from its entry instead and this plugin
 * removes the inline copy, keeping the same strict CSP in dev and in production. If the
 * plugin's markup ever changes, nothing breaks: the inline copy is simply refused by the CSP.
 */
function dropInlineReactPreamble(): Plugin {
  return {
    name: 'flowdeck:drop-inline-react-preamble',
    apply: 'serve',
    transformIndexHtml: {
      order: 'post',
      handler: (html) =>
        html.replace(/<script type="module">\s*import \{ injectIntoGlobalHook \}[\s\S]*?<\/script>\s*/, ''),
    },
  };
}

/**
 * The renderer's CSP meta tag is filled from the one policy in src-shared, so the page, the
 * window's header and the headless console's header cannot drift apart. A page built without
 * it would carry the placeholder, which no browser accepts as a policy: the build fails instead.
 */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'flowdeck:csp-meta',
    transformIndexHtml: (html) => {
      if (!html.includes('%FLOWDECK_CSP%')) throw new Error('src-renderer/index.html lost its %FLOWDECK_CSP% placeholder');
      return html.replace('%FLOWDECK_CSP%', contentSecurityPolicy({ websocket: false }));
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: fromRoot('out/main'),
      rolldownOptions: {
        // The script sandbox runs in worker threads started from sandbox-worker.js beside index.js.
        input: { index: fromRoot('src-main/app/main.ts'), 'sandbox-worker': fromRoot('src-main/sandbox/worker.ts') },
        external: mainExternals,
      },
    },
  },
  preload: {
    build: {
      outDir: fromRoot('out/preload'),
      // A sandboxed preload cannot load other files (only `electron` and a few built-ins can
      // be required), so everything it uses is bundled into one CommonJS file.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: fromRoot('src-main/app/preload.ts') },
        output: {
          format: 'cjs',
          // package.json says "type": "module"; the .cjs extension keeps this file CommonJS
          // for any loader that looks at the extension.
          entryFileNames: '[name].cjs',
          codeSplitting: false,
        },
      },
    },
  },
  renderer: {
    root: fromRoot('src-renderer'),
    build: {
      outDir: fromRoot('out/renderer'),
      rolldownOptions: {
        input: { index: fromRoot('src-renderer/index.html') },
      },
    },
    plugins: [react(), dropInlineReactPreamble(), contentSecurityPolicyMeta()],
  },
});
