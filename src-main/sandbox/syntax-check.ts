import type { FlowdeckError } from '../../src-shared/errors';
import type { WrappedSource } from './error-location';
import { EXPRESSION_FILE, wrapExpression } from './expressions';
import type { SandboxLimits } from './limits';
import { PROCESSING_FILE, wrapProcessing } from './processing';
import type { QuickJSEngine } from './quickjs-runtime';
import { scriptError, syntaxProbe } from './script-errors';

export type SyntaxKind = 'processing' | 'expression';

/** Compiling runs none of the operator's code; placing an error re-parses prefixes, so it gets room. */
const CHECK_LIMITS: SandboxLimits = { cpuMs: 2000, memoryBytes: 64 * 1024 * 1024 };

/**
 * The syntax error of a processing script or an expression, at the operator's line and
 * column, without running any of it: the source is compiled wrapped exactly as it would run.
 * Lets `flow validate`, the dry run and the editor report what would otherwise fail only
 * when a step reaches it.
 */
export function syntaxErrorOf(engine: QuickJSEngine, kind: SyntaxKind, code: string, name: string): FlowdeckError | undefined {
  const wrap = kind === 'processing' ? wrapProcessing : wrapExpression;
  // The same forgiveness as evaluation: `when: a === b;` is a natural slip.
  const text = kind === 'expression' ? code.replace(/;\s*$/, '') : code;
  const source: WrappedSource = { text, file: kind === 'processing' ? PROCESSING_FILE : EXPRESSION_FILE, linesBefore: 1 };
  return engine.run('expression', CHECK_LIMITS, (session) => {
    const thrown = session.syntaxError(wrap(text), source.file);
    return thrown ? scriptError(thrown, name, source, syntaxProbe(session, source, wrap)) : undefined;
  });
}
