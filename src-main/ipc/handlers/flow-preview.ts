import { FlowdeckError, formatLocation } from '../../../src-shared/errors';
import type { Handlers, ParsedRequestOf, Responses } from '../../../src-shared/ipc/contract';
import type { FlowDocument } from '../../../src-shared/domain/flow';
import { parseFlowFile, type ParsedFlowFile } from '../../flows/parse';
import { resolveElements, type YamlPath } from '../../inventory';
import { loadInventory } from '../../store/inventory-queries';
import { resolveParams } from '../../engine/params';
import { applyProcessing, pickElements, refuseEmpty, selectTargets } from '../../engine/targets';
import type { EngineRuntime } from '../../engine/runtime';
import { EDITOR_FILE } from './flows';
import { problemAt } from './problems';
import { scriptPositionInSource } from '../../flows/source-position';

type Preview = Responses['flows/preview'];

/** Which YAML field of the flow a sandbox error came from, by the name the engine gave the script. */
function scriptField(e: FlowdeckError, flow: FlowDocument): YamlPath | undefined {
  const file = e.location?.file ?? '';
  if (file === `${flow.id}.processing`) return ['processing'];
  if (file.endsWith('targets.expression')) return ['targets', 'expression'];
  return undefined;
}

/**
 * A script error is reported at its place in the YAML text the editor holds (line and column
 * there, as for YAML errors); the message keeps the script's own `name:line:column` too.
 */
function previewProblem(e: unknown, source: string, flow: FlowDocument): Preview {
  if (e instanceof FlowdeckError && e.code.startsWith('script-')) {
    const field = scriptField(e, flow);
    if (field) {
      const at = scriptPositionInSource(source, flow.id, field, e.location?.line, e.location?.column);
      const where = e.location?.line !== undefined ? `${formatLocation(e.location)}: ` : '';
      return { ok: false, problem: { ...problemAt(e, at ?? {}), message: `${where}${e.message}` } };
    }
  }
  // Unknown element, missing parameter...: about the whole request, no place in the text.
  return { ok: false, problem: problemAt(e, {}) };
}

/**
 * The editor's live preview: the unsaved flow's targets (or the elements given) from the stored
 * inventory, in the order its processing script gives them. Nothing is written.
 */
async function previewFlow(rt: EngineRuntime, req: ParsedRequestOf<'flows/preview'>): Promise<Preview> {
  let parsed: ParsedFlowFile;
  try {
    parsed = parseFlowFile(req.source, EDITOR_FILE);
  } catch (e) {
    return { ok: false, problem: problemAt(e) };
  }
  const flow = parsed.flows[0]?.doc;
  if (!flow) return { ok: false, problem: { message: 'the text holds tasks only: there is no flow to preview' } };
  try {
    const inventory = resolveElements(loadInventory(rt.db));
    const params = resolveParams(flow, req.params ?? {});
    const picked = req.elements ? pickElements(inventory, req.elements) : await selectTargets(rt.deps.sandbox, inventory, flow.targets, flow.id);
    if (!req.elements) refuseEmpty(flow, picked);
    const ordered = await applyProcessing(rt.deps.sandbox, flow, picked, params);
    refuseEmpty(flow, ordered, picked.length);
    return { ok: true, elements: ordered.map((e) => ({ id: e.id, name: e.name, host: e.host, groups: e.groups })) };
  } catch (e) {
    return previewProblem(e, req.source, flow);
  }
}

export function previewHandlers(rt: EngineRuntime): Pick<Handlers, 'flows/preview'> {
  return { 'flows/preview': (req) => previewFlow(rt, req) };
}
