import type { JsonValue, ScriptElement } from '../../src-shared/domain/inventory';
import type { SerializedError } from '../../src-shared/errors';
import type { SandboxLimits } from './limits';
import type { TemplateTarget } from './template-plan';

/** One text to compile: a processing script or an expression, named for its errors. */
export interface SyntaxCheckItem {
  kind: 'processing' | 'expression';
  code: string;
  name: string;
}

/** Variables copied into one evaluation as globals. */
export type ScriptVars = Record<string, JsonValue | undefined>;

/** What the main thread asks a sandbox worker to do; each op is one call of the synchronous core. */
export type SandboxRequest =
  | {
      op: 'processing';
      script: string;
      elements: ScriptElement[];
      params: Record<string, JsonValue>;
      name: string;
      limits: SandboxLimits;
    }
  | { op: 'evaluate'; expression: string; vars: ScriptVars; name: string; limits: SandboxLimits }
  /** The same expression over many variable sets (a targets expression per element), in one message. */
  | { op: 'evaluateEach'; expression: string; varsList: ScriptVars[]; name: string; limits: SandboxLimits; totalMs: number }
  | { op: 'render'; template: string; vars: ScriptVars; name: string; limits: SandboxLimits; target: TemplateTarget }
  /** Compiles without running anything: the syntax error of each processing script or expression, if any. */
  | { op: 'check'; items: SyntaxCheckItem[] };

/** The value each op answers with. */
export interface SandboxResults {
  /** The ids of the elements the script kept, in its order. */
  processing: string[];
  evaluate: JsonValue | undefined;
  evaluateEach: Array<JsonValue | undefined>;
  render: string;
  check: Array<SerializedError | undefined>;
}

export type MainToWorker = { type: 'job'; id: number; request: SandboxRequest };

export type WorkerToMain =
  | { type: 'ready' }
  | { type: 'reply'; id: number; ok: true; value: SandboxResults[keyof SandboxResults] }
  /** `retire`: the worker's module may be damaged; it exits after this reply. */
  | { type: 'reply'; id: number; ok: false; error: SerializedError; retire: boolean };
