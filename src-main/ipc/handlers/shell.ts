import { FlowdeckError } from '../../../src-shared/errors';
import type { ParsedRequestOf, Responses } from '../../../src-shared/ipc/contract';
import type { EngineRuntime } from '../../engine/runtime';
import { findElement } from '../../shell/element';
import type { ShellSessions } from '../../shell/sessions';
import type { Caller } from '../caller';

type ShellChannel = 'shell/open' | 'shell/input' | 'shell/resize' | 'shell/ack' | 'shell/close';

/** A handler that needs to know which window asked (it is still a `Handlers` entry: the window is an optional second argument). */
type WindowHandler<C extends ShellChannel> = (req: ParsedRequestOf<C>, caller?: Caller) => Promise<Responses[C]>;

export type ShellHandlers = { [C in ShellChannel]: WindowHandler<C> };

/** A shell belongs to a window: a request from no window (a test's bare dispatch) has none to open or reach. */
function windowOf(caller: Caller | undefined): Caller {
  if (!caller) throw new FlowdeckError('invalid-input', 'shell sessions belong to a console window, and this request came from none');
  return caller;
}

/** Terminals on elements, each tied to the window that opened it (see ShellSessions). */
export function shellHandlers(rt: EngineRuntime, shells: ShellSessions): ShellHandlers {
  return {
    'shell/open': async ({ element, cols, rows }, caller) => {
      const client = windowOf(caller);
      return { sessionId: await shells.open(client, findElement(rt.db, element), { cols, rows }) };
    },
    'shell/input': async ({ sessionId, data }, caller) => {
      shells.input(windowOf(caller), sessionId, data);
      return {};
    },
    'shell/resize': async ({ sessionId, cols, rows }, caller) => {
      shells.resize(windowOf(caller), sessionId, { cols, rows });
      return {};
    },
    'shell/ack': async ({ sessionId, chars }, caller) => {
      shells.ack(windowOf(caller), sessionId, chars);
      return {};
    },
    'shell/close': async ({ sessionId }, caller) => ({ closed: shells.close(windowOf(caller), sessionId) }),
  };
}
