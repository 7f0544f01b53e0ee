import type { JsonValue, ScriptElement } from '../../src-shared/domain/inventory';
import { FlowdeckError } from '../../src-shared/errors';
import type { WrappedSource } from './error-location';
import { allHelpersSource, HELPERS_FILE } from './helpers-source';
import { defaultProcessingLimits, type SandboxLimits } from './limits';
import type { QuickJSEngine } from './quickjs-runtime';
import { ScriptFailure } from './script-session';
import { limitError, scriptError, syntaxProbe } from './script-errors';

export interface ProcessingInput {
  elements: ScriptElement[];
  params: Record<string, JsonValue>;
}

export interface ProcessingOptions {
  /** Names the script in error locations; `processing` if not given. */
  name?: string;
  limits?: SandboxLimits;
}

export const PROCESSING_FILE = 'flowdeck-processing';

/**
 * A function body, so a top-level `return` works. Falling off the end returns `elements` as
 * the script sees it, which also covers a script that declared its own `let elements`.
 */
export function wrapProcessing(script: string): string {
  return `(function () {\n${script}\n;return elements;\n})()`;
}

/** Runs an operator's processing script; returns the input elements it kept, in its order. */
export function runProcessing(engine: QuickJSEngine, script: string, input: ProcessingInput, options: ProcessingOptions = {}): ScriptElement[] {
  const file = options.name ?? 'processing';
  const limits = options.limits ?? defaultProcessingLimits;
  const source: WrappedSource = { text: script, file: PROCESSING_FILE, linesBefore: 1 };
  let result: JsonValue | undefined;
  try {
    result = engine.run('processing', limits, (session) => {
      session.run(allHelpersSource, HELPERS_FILE);
      session.defineGlobals({ elements: input.elements, params: input.params });
      try {
        const returned = session.toJson(session.run(wrapProcessing(script), PROCESSING_FILE));
        return returned !== undefined ? returned : session.toJson(session.run('globalThis.elements', 'flowdeck-result'));
      } catch (error) {
        if (error instanceof ScriptFailure && error.kind === 'thrown' && error.thrown) {
          throw scriptError(error.thrown, file, source, syntaxProbe(session, source, wrapProcessing));
        }
        throw error;
      }
    });
  } catch (error) {
    if (error instanceof ScriptFailure) throw limitError(error, 'processing script', file, limits);
    throw error;
  }
  return pickElements(result, input.elements, file);
}

function describeValue(value: JsonValue | undefined): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Maps the script's result back to the original input objects, refusing anything else. */
function pickElements(result: JsonValue | undefined, elements: readonly ScriptElement[], file: string): ScriptElement[] {
  if (!Array.isArray(result)) {
    throw new FlowdeckError(
      'script-error',
      `the processing script must leave an array of elements in \`elements\` (or return one), not ${describeValue(result)}`,
      { file },
    );
  }
  const byId = new Map(elements.map((element) => [element.id, element]));
  const seen = new Set<string>();
  return result.map((item, index) => {
    const id = item !== null && typeof item === 'object' && !Array.isArray(item) ? item.id : undefined;
    if (typeof id !== 'string') {
      throw new FlowdeckError(
        'script-error',
        `item ${index} of the processing script's result is not an element (${describeValue(item)} without an id); keep the objects from \`elements\``,
        { file },
      );
    }
    const original = byId.get(id);
    if (!original) {
      throw new FlowdeckError(
        'script-error',
        `the processing script returned an element with id '${id}', which is not one of its input elements; it may only reorder and drop elements`,
        { file },
      );
    }
    if (seen.has(id)) throw new FlowdeckError('script-error', `the processing script returned element '${id}' twice`, { file });
    seen.add(id);
    return original;
  });
}
