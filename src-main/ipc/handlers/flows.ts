import { FlowdeckError } from '../../../src-shared/errors';
import type { Handlers } from '../../../src-shared/ipc/contract';
import { parseFlowFile, type ParsedFlowFile } from '../../flows/parse';
import { checkFlowSet, saveFlowSet } from '../../flows/save';
import { getFlow, listFlows, listTasks } from '../../store/flow-queries';
import type { EngineRuntime } from '../../engine/runtime';
import type { Sandbox } from '../../sandbox';
import { problemAt } from './problems';
import { checkStatically, documentsOf } from '../../flows/static-check';

export type FlowHandlers = Pick<Handlers, 'flows/list' | 'flows/get' | 'flows/validate' | 'flows/save' | 'tasks/list'>;

/** The name errors in the editor's text carry (there is no file: the text comes from the window). */
export const EDITOR_FILE = 'flow.yaml';

/**
 * What can be known before anything runs (templates that can never render, expressions and
 * processing scripts that do not compile), at its place in the YAML: compiled, never run, so a
 * validate on every keystroke never waits for a slow script. Run-time errors are the preview's.
 */
async function checkTexts(sandbox: Sandbox, parsed: ParsedFlowFile): Promise<void> {
  const report = await checkStatically(sandbox, documentsOf([parsed]));
  const first = report.problems[0];
  if (first) throw first;
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
        await checkTexts(rt.deps.sandbox, parsed);
      } catch (e) {
        return { ok: false, problem: problemAt(e) };
      }
      return { ok: true, flows: parsed.flows.map((f) => f.doc.id), tasks: parsed.tasks.map((t) => t.id) };
    },

    'flows/save': async ({ source }) => {
      const parsed = parseFlowFile(source, EDITOR_FILE);
      await checkTexts(rt.deps.sandbox, parsed);
      return saveFlowSet(rt.db, [parsed]);
    },

    'tasks/list': async () => listTasks(rt.db),
  };
}
