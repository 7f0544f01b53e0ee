import { create } from 'zustand';
import type { ExecutionStatus } from '../../src-shared/domain/execution';
import type { Events } from '../../src-shared/ipc/contract';
import { connection } from '../bridge';
import { navigate } from './route';

/**
 * Main's `notice` (a run ended, or waits for an approval) reaches the operator as a desktop
 * notification in Electron, and as a notice in the page in the headless console, where a
 * browser tab has no business asking for notification permission.
 */

export type NoticeEvent = Events['notice'];

interface Notice {
  key: string;
  kind: NoticeEvent['kind'];
  executionId: number;
  flow: string;
  status: ExecutionStatus;
  message: string;
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

const AUTO_DISMISS_MS = 20_000;
const MAX_SHOWN = 6;
let seq = 0;

/** `#12 deploy waits for approval`, `#12 deploy failed`. */
function noticeTitle(n: Pick<NoticeEvent, 'kind' | 'executionId' | 'flow' | 'status'>): string {
  return `#${n.executionId} ${n.flow} ${n.kind === 'approval' ? 'waits for approval' : n.status}`;
}

function desktopNotification(n: NoticeEvent): boolean {
  if (connection.kind !== 'electron' || typeof Notification !== 'function' || Notification.permission === 'denied') return false;
  const shown = new Notification(noticeTitle(n), { body: n.message, tag: `flowdeck-${n.executionId}-${n.kind}` });
  shown.onclick = () => {
    window.focus();
    navigate({ page: 'execution', id: n.executionId });
  };
  return true;
}

export function showNotice(n: NoticeEvent): void {
  if (desktopNotification(n)) return;
  const notice: Notice = { ...n, key: `${n.executionId}:${n.kind}:${++seq}`, at: Date.now() };
  // The newest word on an execution replaces the older one: "waits" then "succeeded" is one card.
  useNotices.setState((st) => ({ notices: [...st.notices.filter((x) => x.executionId !== n.executionId), notice].slice(-MAX_SHOWN) }));
  // Success goes away on its own; anything that needs a look stays until dismissed.
  if (n.kind === 'finished' && n.status === 'succeeded') setTimeout(() => useNotices.getState().dismiss(notice.key), AUTO_DISMISS_MS);
}

/** An approval was answered (here or elsewhere): its "waits for approval" notice is stale. */
export function approvalAnswered(executionId: number): void {
  useNotices.setState((st) => ({ notices: st.notices.filter((x) => !(x.executionId === executionId && x.kind === 'approval')) }));
}
