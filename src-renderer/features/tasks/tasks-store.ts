import { create } from 'zustand';
import type { TaskDocument } from '../../../src-shared/domain/flow';
import { fetchOrReport } from '../../shell/request';

/** The task library: reusable steps saved as `kind: task` documents. */
interface TasksState {
  tasks: TaskDocument[];
  loading: boolean;
  loadedAt: number | null;
  /** What the flow editor just saved here ("saved task x"), shown until the page is left. */
  saveMessage: string | null;
  load(): Promise<void>;
  setSaveMessage(message: string | null): void;
}

export const useTasks = create<TasksState>((set) => ({
  tasks: [],
  loading: false,
  loadedAt: null,
  saveMessage: null,
  setSaveMessage: (saveMessage) => set({ saveMessage }),
  load: async () => {
    set({ loading: true });
    const value = await fetchOrReport('tasks/list', {}, 'Loading the task library');
    if (value) set({ tasks: [...value].sort((a, b) => a.id.localeCompare(b.id)), loadedAt: Date.now() });
    set({ loading: false });
  },
}));

/** Tasks whose id, name, description or parameter names contain the query. */
export function searchTasks(tasks: readonly TaskDocument[], query: string): TaskDocument[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...tasks];
  return tasks.filter((t) => [t.id, t.name, t.description, ...t.params.map((p) => p.name)].some((v) => v.toLowerCase().includes(q)));
}

/** A task document to start from in the flow editor. */
export const NEW_TASK_TEMPLATE = `kind: task
id: new-task
name: New task
description: What it does, in one line.
params:
  - { name: service, type: string, default: nginx, description: the unit to restart }
run: sudo systemctl restart {{ shq(params.service) }}
timeout: 120
retries: { count: 1, delay: 5 }
`;
