import { FlowdeckError } from '../../../src-shared/errors';
import type { Handlers } from '../../../src-shared/ipc/contract';
import type { FlowDocument } from '../../../src-shared/domain/flow';
import { parseFlowFile, type ParsedFlowFile } from '../../flows/parse';
import { checkFlowSet, saveFlowSet } from '../../flows/save';
import { getFlow, listFlows, listTasks } from '../../store/flow-queries';
import type { EngineRuntime } from '../../engine/runtime';
import type { Sandbox } from '../../sandbox';
import { problemAt } from './problems';
import { scriptPositionInSource } from './script-location';

export type FlowHandlers = Pick<Handlers, 'flows/list' | 'flows/get' | 'flows/validate' | 'flows/save' | 'tasks/list'>;

/** The name errors in the editor's text carry (there is no file: the text comes from the window). */
export const EDITOR_FILE = 'flow.yaml';

/** Put before a processing script, it keeps the script from running while the parser still reads all of it. */
const DO_NOT_RUN = 'return elements;\n';

/**
 * A processing script that does not even compile is reported by validate, at its place in the
 * YAML. Syntax only, and nothing runs: the script is parsed behind an early `return`, so a
 * validate on every keystroke never waits for a slow script. Run-time errors are the preview's.
 */
function checkProcessingSyntax(sandbox: Sandbox, source: string, flow: FlowDocument): void {
  if (!flow.processing.trim()) return;
  try {
    sandbox.runProcessing(DO_NOT_RUN + flow.processing, { elements: [], params: {} }, { name: `${flow.id}.processing` });
  } catch (e) {
    if (!(e instanceof FlowdeckError) || e.code !== 'script-error' || !e.message.startsWith('SyntaxError')) return;
    const line = e.location?.line !== undefined && e.location.line > 1 ? e.location.line - 1 : undefined;
    const at = scriptPositionInSource(source, flow.id, ['processing'], line, line !== undefined ? e.location?.column : undefined);
    throw new FlowdeckError('script-error', `processing script: ${e.message}`, at ? { file: EDITOR_FILE, ...at } : { file: EDITOR_FILE });
  }
}

export function flowHandlers(rt: EngineRuntime): FlowHandlers {
  return {
    'flows/list': async () => listFlows(rt.db),

    'flows/get': async ({ id, version }) => {
      const stored = getFlow(rt.db, id, version);
      if (!stored) throw new FlowdeckError('not-found', version !== undefined ? `flow "${id}" has no version ${version}` : `unknown flow "${id}"`);
      return { document: stored.document, source: stored.source, version: stored.version };
    },

    'flows/validate': async ({ source }) => {
      let parsed: ParsedFlowFile;
      try {
        parsed = parseFlowFile(source, EDITOR_FILE);
        checkFlowSet(rt.db, [parsed]);
        for (const f of parsed.flows) checkProcessingSyntax(rt.deps.sandbox, source, f.doc);
      } catch (e) {
        return { ok: false, problem: problemAt(e) };
      }
      return { ok: true, flows: parsed.flows.map((f) => f.doc.id), tasks: parsed.tasks.map((t) => t.id) };
    },

    'flows/save': async ({ source }) => saveFlowSet(rt.db, [parseFlowFile(source, EDITOR_FILE)]),

    'tasks/list': async () => listTasks(rt.db),
  };
}
