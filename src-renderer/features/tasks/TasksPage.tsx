import { useEffect, useMemo, useState } from 'react';
import { TaskDetails } from './TaskDetails';
import { onReconnect } from '../../shell/connection';
import { NEW_FLOW_TEMPLATE, useFlowEditor } from '../flows/flow-editor-store';
import { navigate, useRoute } from '../../shell/route';
import { NEW_TASK_TEMPLATE, searchTasks, useTasks } from './tasks-store';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import layoutCss from '../../ui/layout.module.css';
import tableCss from '../../ui/table.module.css';
import tasksCss from './tasks.module.css';
import textCss from '../../ui/text.module.css';
import { EmptyRow } from '../../ui/EmptyRow';

/** The task library: reusable steps with typed parameters, searchable, each with its "use in flow" step. */
export function TasksPage() {
  const { tasks, loading, load, saveMessage } = useTasks();
  const [query, setQuery] = useState('');
  // The task shown is in the address (`#/tasks/<id>`): a reload keeps it, and other pages (the
  // flow editor after saving a task) can open the page on one.
  const selected = useRoute((s) => (s.route.page === 'tasks' ? (s.route.id ?? null) : null));
  const select = (id: string): void => navigate({ page: 'tasks', id }, { replace: true });

  useEffect(() => {
    void load();
    return onReconnect(() => void load());
  }, [load]);
  // The flow editor's "saved task x" is news for this visit only.
  useEffect(() => () => useTasks.getState().setSaveMessage(null), []);

  const shown = useMemo(() => searchTasks(tasks, query), [tasks, query]);
  const current = shown.find((t) => t.id === selected) ?? shown[0] ?? null;

  // Arriving on a task further down a long library: bring its row into view once it is listed.
  const listed = tasks.some((t) => t.id === selected);
  useEffect(() => {
    if (selected === null || !listed) return;
    document.querySelector(`[data-testid="task-row"][data-task="${CSS.escape(selected)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selected, listed]);

  // Tasks are YAML documents saved like flows: start one in the flow editor from a template.
  // An unsaved new flow the operator left there comes back instead, rather than being replaced.
  const newTask = (): void => {
    void useFlowEditor.getState().open(null);
    if (useFlowEditor.getState().source === NEW_FLOW_TEMPLATE) useFlowEditor.getState().setSource(NEW_TASK_TEMPLATE);
    navigate({ page: 'flow', id: null });
  };

  return (
    <div className={tasksCss.pageTasks}>
      <div className={layoutCss.pageHead}>
        <h1>Tasks</h1>
        <span className={textCss.muted} data-testid="task-count">
          {shown.length === tasks.length ? `${tasks.length} task${tasks.length === 1 ? '' : 's'}` : `${shown.length} of ${tasks.length} tasks`}
        </span>
        {loading && <span className={textCss.muted}>loading…</span>}
        <span className={textCss.spacer} />
        {saveMessage && (
          <span className={textCss.okText} role="status" data-testid="tasks-save-result">
            {saveMessage}
          </span>
        )}
        <button type="button" className={cx(buttonCss.btn, buttonCss.primary)} onClick={newTask} data-testid="task-new" title="Opens a kind: task document in the flow editor">
          New task…
        </button>
      </div>
      <div className={layoutCss.toolbar}>
        <input
          type="search"
          placeholder="Search tasks by id, name, description, parameter  (/)"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="tasks-search"
          data-page-search
          aria-label="Search tasks"
        />
      </div>
      <div className={layoutCss.split}>
        <div className={cx(layoutCss.splitMain, layoutCss.scroll)}>
          <table className={tableCss.table} data-testid="tasks-table">
            <thead>
              <tr>
                <th>Id</th>
                <th>Name</th>
                <th>Parameters</th>
                <th>Body</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((t) => (
                <tr key={t.id} className={current?.id === t.id ? tableCss.selected : undefined} onClick={() => select(t.id)} data-testid="task-row" data-task={t.id} aria-selected={current?.id === t.id}>
                  <td>
                    <button type="button" className={cx(buttonCss.link, textCss.mono)} onClick={() => select(t.id)}>
                      {t.id}
                    </button>
                  </td>
                  <td>
                    {t.name}
                    {t.description && <div className={cx(textCss.muted, textCss.small)}>{t.description}</div>}
                  </td>
                  <td className={cx(textCss.mono, textCss.small)}>{t.params.map((p) => p.name).join(', ') || <span className={textCss.muted}>—</span>}</td>
                  <td>{t.run !== undefined ? 'run' : `script (${t.interpreter})`}</td>
                </tr>
              ))}
              {shown.length === 0 && !loading && (
                <EmptyRow columns={4}>
                  {tasks.length === 0 ? 'No tasks yet: save a `kind: task` document in the flow editor ("New task…") or with `flowdeck flow import`.' : 'No task matches.'}
                </EmptyRow>
              )}
            </tbody>
          </table>
        </div>
        {current && (
          <aside className={cx(layoutCss.splitSide, layoutCss.scroll)}>
            <TaskDetails key={current.id} task={current} />
          </aside>
        )}
      </div>
    </div>
  );
}
