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

/**
 * A processing script that does not even compile is reported by validate, at its place in the
 * YAML. Syntax only: the script is compiled, never run, so a validate on every keystroke never
 * waits for a slow script. Run-time errors are the preview's.
 */
async function checkProcessingSyntax(sandbox: Sandbox, source: string, flow: FlowDocument): Promise<void> {
  if (!flow.processing.trim()) return;
  const e = await sandbox.syntaxError('processing', flow.processing, `${flow.id}.processing`);
  if (!e) return;
  const line = e.location?.line;
  const at = scriptPositionInSource(source, flow.id, ['processing'], line, line !== undefined ? e.location?.column : undefined);
  throw new FlowdeckError('script-error', `processing script: ${e.message}`, at ? { file: EDITOR_FILE, ...at } : { file: EDITOR_FILE });
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
        for (const f of parsed.flows) await checkProcessingSyntax(rt.deps.sandbox, source, f.doc);
      } catch (e) {
        return { ok: false, problem: problemAt(e) };
      }
      return { ok: true, flows: parsed.flows.map((f) => f.doc.id), tasks: parsed.tasks.map((t) => t.id) };
    },

    'flows/save': async ({ source }) => saveFlowSet(rt.db, [parseFlowFile(source, EDITOR_FILE)]),

    'tasks/list': async () => listTasks(rt.db),
  };
}
