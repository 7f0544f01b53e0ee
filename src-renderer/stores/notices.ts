import { create } from 'zustand';
import { finishedExecutionStatuses, type ExecutionStatus, type ExecutionSummary } from '../../src-shared/domain/execution';

/**
 * Page-level notices for executions that ended (or wait for the operator) while the console
 * was open: the headless console has no desktop notifications, so this is how an operator
 * learns a run is over.
 */
export interface Notice {
  key: string;
  executionId: number;
  flow: string;
  status: ExecutionStatus;
  error: string | null;
  at: number;
}

interface NoticesState {
  notices: Notice[];
  dismiss(key: string): void;
}

export const useNotices = create<NoticesState>((set) => ({
  notices: [],
  dismiss: (key) => set((s) => ({ notices: s.notices.filter((n) => n.key !== key) })),
}));

/** Last status seen per execution, so a repeated event does not notify twice. */
const lastStatus = new Map<number, ExecutionStatus>();
const AUTO_DISMISS_MS = 20_000;

export function noticeFor(s: ExecutionSummary): void {
  const before = lastStatus.get(s.id);
  lastStatus.set(s.id, s.status);
  if (before === s.status) return;
  const ended = finishedExecutionStatuses.includes(s.status);
  if (!ended && s.status !== 'paused') return;
  const notice: Notice = { key: `${s.id}:${s.status}`, executionId: s.id, flow: s.flow, status: s.status, error: s.error, at: Date.now() };
  useNotices.setState((st) => ({ notices: [...st.notices.filter((n) => n.executionId !== s.id), notice].slice(-6) }));
  // Success goes away on its own; anything that needs a look stays until dismissed.
  if (s.status === 'succeeded') setTimeout(() => useNotices.getState().dismiss(notice.key), AUTO_DISMISS_MS);
}
