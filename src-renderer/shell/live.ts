import { bridge, onProtocolError } from '../bridge';
import { errorText } from '../format/error';
import { onReconnect } from './connection';
import { reportError } from './errors';
import { useExecution } from '../features/executions/execution-store';
import { useExecutions } from '../features/executions/executions-store';
import { askHostKey, forgetHostKeys, settledHostKey } from './host-keys';
import { approvalAnswered, showNotice } from './notices';

/**
 * Routes main's events to the stores, once for the whole page. (Logs subscribe per view:
 * only the open log cares about `log/appended`.)
 */
export function startLiveUpdates(): () => void {
  const offs = [
    bridge.on('execution/changed', (s) => {
      useExecutions.getState().upsert(s);
      useExecution.getState().applySummary(s);
    }),
    bridge.on('stepRuns/changed', (p) => useExecution.getState().applyRuns(p.executionId, p.runs)),
    bridge.on('approval/changed', (a) => {
      useExecution.getState().applyApproval(a);
      if (a.status !== 'pending') approvalAnswered(a.executionId);
    }),
    bridge.on('notice', (n) => showNotice(n)),
    bridge.on('batchOrders/changed', (b) => void useExecution.getState().refreshBatchOrders(b.executionId)),
    bridge.on('hostKey/question', (q) => askHostKey(q)),
    // Answered in any window, timed out, or given up: closed in every window.
    bridge.on('hostKey/settled', (p) => settledHostKey(p.id)),
    onProtocolError((e) => reportError(`The console server could not read a request: ${errorText(e)}`)),
    // Events were missed while the socket was away: reload what is on screen.
    onReconnect(() => {
      // Main sends the questions still waiting as the new connection opens (after this runs).
      forgetHostKeys();
      if (useExecutions.getState().loadedAt !== null) void useExecutions.getState().load();
      void useExecution.getState().reload();
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}
