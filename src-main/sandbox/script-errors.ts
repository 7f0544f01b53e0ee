import { FlowdeckError } from '../../src-shared/errors';
import { positionFromStack, refineRuntimePosition, refineSyntaxPosition, type Position, type SyntaxProbe, type WrappedSource } from './error-location';
import { describeBytes, type SandboxLimits } from './limits';
import { pythonHint } from './python-hint';
import type { ScriptFailure, ScriptSession, ThrownValue } from './script-session';

/** A thrown error, worded for an operator, with where it happened in their text. */
export interface ExplainedError {
  message: string;
  position: Position | undefined;
}

/** Re-parses prefixes of the operator's text wrapped exactly as it ran, to place a SyntaxError. */
export function syntaxProbe(session: ScriptSession, source: WrappedSource, wrap: (text: string) => string): SyntaxProbe {
  return (prefix) => {
    const thrown = session.syntaxError(wrap(prefix), source.file);
    if (!thrown || thrown.name !== 'SyntaxError') return undefined;
    const position = positionFromStack(thrown.stack, { ...source, text: prefix });
    return position ? { message: thrown.message, position } : undefined;
  };
}

export function explainThrown(thrown: ThrownValue, source: WrappedSource, probe: SyntaxProbe): ExplainedError {
  let position = positionFromStack(thrown.stack, source);
  let detail = thrown.message;
  if (thrown.name === 'SyntaxError' && position) {
    // The parser tripped over the wrapper's closing part: the operator's text stopped early.
    if (position.atEnd) detail = 'Unexpected end of input';
    position = refineSyntaxPosition(source, thrown.message, position, probe);
  } else if (position) {
    position = refineRuntimePosition(source, thrown.message, position);
  }
  if (thrown.name === 'RangeError' && /call stack/i.test(detail)) detail += ' (endless recursion?)';
  let message = thrown.name ? `${thrown.name}: ${detail}` : detail;
  const hint = pythonHint(source.text);
  // Same line as the error: formatError's `file:line:col: message` stays one line.
  if (hint) message += `${/[.!?)]$/.test(message) ? '' : '.'} ${hint}`;
  return { message, position };
}

/** A 'script-error' at the operator's position, for processing scripts and expressions. */
export function scriptError(thrown: ThrownValue, file: string, source: WrappedSource, probe: SyntaxProbe): FlowdeckError {
  const { message, position } = explainThrown(thrown, source, probe);
  return new FlowdeckError('script-error', message, position ? { file, line: position.line, column: position.column } : { file });
}

/** The error for a script the sandbox had to stop: too slow, too big, or the engine failed. */
export function limitError(failure: ScriptFailure, label: string, file: string, limits: SandboxLimits): FlowdeckError {
  switch (failure.kind) {
    case 'timeout':
      return new FlowdeckError('script-timeout', `${label} ran longer than ${limits.cpuMs} ms (endless loop?)`, { file });
    case 'memory':
      return new FlowdeckError(
        'script-memory',
        `${label} needed more than its ${describeBytes(limits.memoryBytes)} of memory (does it build an ever-growing array or string?)`,
        { file },
      );
    case 'crash': {
      const cause = failure.cause;
      const reason =
        cause instanceof RangeError
          ? 'it is nested too deeply for the sandbox'
          : `the sandbox failed (${cause instanceof Error ? cause.message : String(cause)})`;
      return new FlowdeckError('script-error', `${label} could not run: ${reason}; the sandbox restarts for the next script`, { file });
    }
    case 'async':
      return new FlowdeckError(
        'script-error',
        `${label} used async code (an async function, a promise or import()), which is not supported: scripts and expressions run synchronously, so write it without async/await`,
        { file },
      );
    case 'thrown':
      return new FlowdeckError('script-error', failure.message, { file });
  }
}
