import { create } from 'zustand';
import type { Events } from '../../src-shared/ipc/contract';

export type HostKeyQuestion = Events['hostKey/question'];

interface HostKeyState {
  /** Unknown host keys main is asking about, oldest first; the dialog answers the first. */
  questions: HostKeyQuestion[];
  /** The question this window is sending an answer for right now (its own `hostKey/settled` is no news). */
  answering: string | null;
  /**
   * The question that was on screen when main closed it without this window's answer (answered
   * in another window, or timed out): the dialog says so instead of vanishing under the cursor.
   */
  closedElsewhere: HostKeyQuestion | null;
}

export const useHostKeyQuestions = create<HostKeyState>(() => ({ questions: [], answering: null, closedElsewhere: null }));

export function askHostKey(q: HostKeyQuestion): void {
  useHostKeyQuestions.setState((s) => (s.questions.some((x) => x.id === q.id) ? s : { questions: [...s.questions, q] }));
}

/** This window is about to send its answer to `id`. */
export function answeringHostKey(id: string): void {
  useHostKeyQuestions.setState({ answering: id, closedElsewhere: null });
}

/**
 * Main took this window's answer (`accepted`), or had already closed the question (answered
 * elsewhere or timed out): either way it is gone; in the second case the operator is told.
 */
export function answeredHostKey(q: HostKeyQuestion, accepted: boolean): void {
  // By now main's `hostKey/settled` has usually dropped it already (it comes before the reply).
  useHostKeyQuestions.setState((s) => ({
    questions: s.questions.filter((x) => x.id !== q.id),
    answering: s.answering === q.id ? null : s.answering,
    closedElsewhere: accepted ? s.closedElsewhere : q,
  }));
}

/**
 * Main's `hostKey/settled`: the question is closed for every window. Only the one on screen
 * (the first) gets a word about it; queued ones nobody has seen yet just go.
 */
export function settledHostKey(id: string): void {
  useHostKeyQuestions.setState((s) => {
    const index = s.questions.findIndex((x) => x.id === id);
    if (index < 0) return s;
    const shownHere = index === 0 && s.answering !== id;
    return {
      questions: s.questions.filter((x) => x.id !== id),
      closedElsewhere: shownHere ? (s.questions[0] ?? null) : s.closedElsewhere,
    };
  });
}

/** The operator has read the "closed elsewhere" word (or it timed out). */
export function dismissClosedHostKey(): void {
  useHostKeyQuestions.setState({ closedElsewhere: null });
}

/**
 * The socket came back: questions settled while it was away were never reported here. Main
 * sends every question still waiting to a window that connects, right after the connection
 * opens, so the list starts again from what main says.
 */
export function forgetHostKeys(): void {
  useHostKeyQuestions.setState({ questions: [], answering: null });
}

/** The answer never reached main: the question still waits there, and stays here to answer again. */
export function answerFailed(id: string): void {
  useHostKeyQuestions.setState((s) => (s.answering === id ? { answering: null } : s));
}
