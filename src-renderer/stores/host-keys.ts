import { create } from 'zustand';
import type { Events } from '../../src-shared/ipc/contract';

export type HostKeyQuestion = Events['hostKey/question'];

/** Unknown host keys main is asking about, oldest first; the dialog answers the first. */
export const useHostKeyQuestions = create<{ questions: HostKeyQuestion[] }>(() => ({ questions: [] }));

export function askHostKey(q: HostKeyQuestion): void {
  useHostKeyQuestions.setState((s) => (s.questions.some((x) => x.id === q.id) ? s : { questions: [...s.questions, q] }));
}

export function answeredHostKey(id: string): void {
  useHostKeyQuestions.setState((s) => ({ questions: s.questions.filter((q) => q.id !== id) }));
}
