import { create } from 'zustand';
import type { ProblemAt, Responses } from '../../../src-shared/ipc/contract';
import { bridge } from '../../bridge';
import { errorText } from '../../format/error';
import { useFlowDocs, useFlows } from './flows-store';
import { useRoute, type Route } from '../../shell/route';
import { useTasks } from '../tasks/tasks-store';

/**
 * The flow being edited. Its YAML source is the ONE document: the text editor and the visual
 * view both read and write `source`; every change is checked (`flows/validate`) and previewed
 * (`flows/preview`, the processing script's element order) after a short pause.
 */

const CHECK_DELAY_MS = 300;

export const NEW_FLOW_TEMPLATE = `id: new-flow
name: New flow
description: ''
mode: serial
targets: { elements: [localhost] }
params:
  - { name: reason, default: testing }
processing: |
  // sort or filter \`elements\` here, e.g.
  // order_flow_elements(elements, x => x.id)
steps:
  - id: hello
    run: echo "hello from {{ element.id }} ({{ params.reason }})"
`;

type CheckState =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'ok'; flows: string[]; tasks: string[] }
  | { state: 'problem'; problem: ProblemAt }
  | { state: 'error'; error: string };

type PreviewElement = Extract<Responses['flows/preview'], { ok: true }>['elements'][number];

type PreviewState =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'skipped' }
  | { state: 'ok'; elements: PreviewElement[] }
  | { state: 'problem'; problem: ProblemAt }
  | { state: 'error'; error: string };

interface FlowEditorState {
  /** The saved flow open in the editor; null for a new one. */
  flowId: string | null;
  version: number | null;
  source: string;
  savedSource: string;
  loading: boolean;
  loadError: string | null;
  check: CheckState;
  preview: PreviewState;
  saving: boolean;
  saveMessage: string | null;
  saveError: string | null;
  open(id: string | null): Promise<void>;
  /** Picks up a newer saved version of the open flow, unless the editor holds unsaved changes. */
  refresh(): Promise<void>;
  setSource(text: string): void;
  /**
   * Saves the document; resolves to where what was saved lives (the first flow's editor, or the
   * task library on the first task when the document holds only tasks), or null when it failed.
   */
  save(): Promise<Route | null>;
}

type Saved = Responses['flows/save'];

/** `deploy v3 saved`, `saved task restart-service`, `deploy v3 saved; saved tasks a, b`. */
function saveMessageOf(saved: Saved): string {
  const parts: string[] = [];
  if (saved.flows.length > 0) parts.push(saved.flows.map((f) => `${f.id} v${f.version}${f.changed ? ' saved' : ' unchanged'}`).join(', '));
  if (saved.tasks.length > 0) parts.push(`saved task${saved.tasks.length === 1 ? '' : 's'} ${saved.tasks.join(', ')}`);
  return parts.length > 0 ? parts.join('; ') : 'saved';
}

let timer: ReturnType<typeof setTimeout> | null = null;
let seq = 0;

/** Unsaved edits of flows the operator left for another one, by flow id ('' for a new flow): coming back restores them. */
const drafts = new Map<string, { source: string; savedSource: string; version: number | null }>();

/** Set while resetWhenLeft waits for the operator to leave the editor. */
let leaveWatch: (() => void) | null = null;

/**
 * Clears a saved document of tasks only from the new-document editor once the page is left (not
 * before: the page would show an empty editor for a moment on its way out), so the next "new
 * flow" starts from the template rather than on a task that is already saved.
 */
function resetWhenLeft(): void {
  if (leaveWatch) return;
  leaveWatch = useRoute.subscribe((s) => {
    if (s.route.page === 'flow' && s.route.id === null) return;
    leaveWatch?.();
    leaveWatch = null;
    const st = useFlowEditor.getState();
    // Edited again before leaving: those edits are the operator's, keep them.
    if (st.flowId !== null || st.source !== st.savedSource) return;
    if (timer !== null) clearTimeout(timer);
    timer = null;
    seq++;
    useFlowEditor.setState({ source: '', savedSource: '', version: null, check: { state: 'idle' }, preview: { state: 'idle' }, saveMessage: null, saveError: null });
  });
}

export const useFlowEditor = create<FlowEditorState>((set, get) => {
  const runCheck = async (): Promise<void> => {
    const mine = ++seq;
    const source = get().source;
    set({ check: { state: 'checking' }, preview: { state: 'checking' } });
    const v = await bridge.invoke('flows/validate', { source });
    if (mine !== seq) return;
    if (!v.ok) {
      set({ check: { state: 'error', error: errorText(v.error) }, preview: { state: 'skipped' } });
      return;
    }
    if (!v.value.ok) {
      set({ check: { state: 'problem', problem: v.value.problem }, preview: { state: 'skipped' } });
      return;
    }
    set({ check: { state: 'ok', flows: v.value.flows, tasks: v.value.tasks } });
    const p = await bridge.invoke('flows/preview', { source });
    if (mine !== seq) return;
    if (!p.ok) set({ preview: { state: 'error', error: errorText(p.error) } });
    else if (!p.value.ok) set({ preview: { state: 'problem', problem: p.value.problem } });
    else set({ preview: { state: 'ok', elements: p.value.elements } });
  };

  const schedule = (delay: number): void => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void runCheck();
    }, delay);
  };

  return {
    flowId: null,
    version: null,
    source: '',
    savedSource: '',
    loading: false,
    loadError: null,
    check: { state: 'idle' },
    preview: { state: 'idle' },
    saving: false,
    saveMessage: null,
    saveError: null,

    open: async (id) => {
      seq++;
      const prev = get();
      if (prev.source !== prev.savedSource && !prev.loading) drafts.set(prev.flowId ?? '', { source: prev.source, savedSource: prev.savedSource, version: prev.version });
      const draft = drafts.get(id ?? '');
      drafts.delete(id ?? '');
      const base = { flowId: id, saveMessage: null, saveError: null, loadError: null, check: { state: 'idle' } as CheckState, preview: { state: 'idle' } as PreviewState };
      if (draft) {
        set({ ...base, ...draft, loading: false, saveMessage: 'unsaved changes restored' });
        schedule(0);
        return;
      }
      if (id === null) {
        set({ ...base, version: null, source: NEW_FLOW_TEMPLATE, savedSource: '', loading: false });
        schedule(0);
        return;
      }
      set({ ...base, loading: true, source: '', savedSource: '', version: null });
      const r = await bridge.invoke('flows/get', { id });
      if (get().flowId !== id) return;
      if (!r.ok) {
        set({ loading: false, loadError: errorText(r.error) });
        return;
      }
      set({ loading: false, source: r.value.source, savedSource: r.value.source, version: r.value.version });
      schedule(0);
    },

    refresh: async () => {
      const id = get().flowId;
      if (id === null) return;
      const r = await bridge.invoke('flows/get', { id });
      const st = get();
      if (!r.ok || st.flowId !== id || st.source !== st.savedSource) return;
      if (r.value.source !== st.source) {
        set({ source: r.value.source, savedSource: r.value.source, version: r.value.version });
        schedule(0);
      } else set({ version: r.value.version });
    },

    setSource: (text) => {
      if (text === get().source) return;
      set({ source: text, saveMessage: null });
      schedule(CHECK_DELAY_MS);
    },

    save: async () => {
      const source = get().source;
      set({ saving: true, saveError: null, saveMessage: null });
      const r = await bridge.invoke('flows/save', { source });
      if (!r.ok) {
        set({ saving: false, saveError: errorText(r.error) });
        return null;
      }
      const first = r.value.flows[0];
      const message = saveMessageOf(r.value);
      for (const f of r.value.flows) useFlowDocs.getState().forget(f.id);
      void useFlows.getState().load();
      if (r.value.tasks.length > 0) void useTasks.getState().load();
      const task = r.value.tasks[0];
      if (!first && task !== undefined) {
        // Only tasks: no flow to stay on. The library shows them (with the message); the editor
        // is done with this document, so the next "new flow" starts from the template.
        set({ saving: false, savedSource: source, saveMessage: message });
        useTasks.getState().setSaveMessage(message);
        resetWhenLeft();
        return { page: 'tasks', id: task };
      }
      set({
        saving: false,
        savedSource: source,
        saveMessage: message,
        flowId: first?.id ?? get().flowId,
        version: first?.version ?? get().version,
      });
      return first ? { page: 'flow', id: first.id } : null;
    },
  };
});
