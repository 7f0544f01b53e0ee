import { useEffect, useMemo, useState } from 'react';
import { TaskDetails } from '../components/TaskDetails';
import { onReconnect } from '../stores/connection';
import { NEW_FLOW_TEMPLATE, useFlowEditor } from '../stores/flow-editor';
import { navigate } from '../stores/route';
import { NEW_TASK_TEMPLATE, searchTasks, useTasks } from '../stores/tasks';

/** The task library: reusable steps with typed parameters, searchable, each with its "use in flow" step. */
export function TasksPage() {
  const { tasks, loading, load } = useTasks();
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<string | null>(null);

  useEffect(() => {
    void load();
    return onReconnect(() => void load());
  }, [load]);

  const shown = useMemo(() => searchTasks(tasks, query), [tasks, query]);
  const current = shown.find((t) => t.id === selected) ?? shown[0] ?? null;

  // Tasks are YAML documents saved like flows: start one in the flow editor from a template.
  // An unsaved new flow the operator left there comes back instead, rather than being replaced.
  const newTask = (): void => {
    void useFlowEditor.getState().open(null);
    if (useFlowEditor.getState().source === NEW_FLOW_TEMPLATE) useFlowEditor.getState().setSource(NEW_TASK_TEMPLATE);
    navigate({ page: 'flow', id: null });
  };

  return (
    <div className="page-tasks">
      <div className="page-head">
        <h1>Tasks</h1>
        <span className="muted" data-testid="task-count">
          {shown.length === tasks.length ? `${tasks.length} task${tasks.length === 1 ? '' : 's'}` : `${shown.length} of ${tasks.length} tasks`}
        </span>
        {loading && <span className="muted">loading…</span>}
        <span className="spacer" />
        <button type="button" className="btn btn-primary" onClick={newTask} data-testid="task-new" title="Opens a kind: task document in the flow editor">
          New task…
        </button>
      </div>
      <div className="toolbar">
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
      <div className="split">
        <div className="split-main scroll">
          <table className="table" data-testid="tasks-table">
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
                <tr key={t.id} className={current?.id === t.id ? 'selected' : undefined} onClick={() => setSelected(t.id)} data-testid="task-row" data-task={t.id} aria-selected={current?.id === t.id}>
                  <td>
                    <button type="button" className="link mono" onClick={() => setSelected(t.id)}>
                      {t.id}
                    </button>
                  </td>
                  <td>
                    {t.name}
                    {t.description && <div className="muted small">{t.description}</div>}
                  </td>
                  <td className="mono small">{t.params.map((p) => p.name).join(', ') || <span className="muted">—</span>}</td>
                  <td>{t.run !== undefined ? 'run' : `script (${t.interpreter})`}</td>
                </tr>
              ))}
              {shown.length === 0 && !loading && (
                <tr>
                  <td colSpan={4} className="muted empty">
                    {tasks.length === 0 ? 'No tasks yet: save a `kind: task` document in the flow editor ("New task…") or with `flowdeck flow import`.' : 'No task matches.'}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
        {current && (
          <aside className="split-side scroll">
            <TaskDetails key={current.id} task={current} />
          </aside>
        )}
      </div>
    </div>
  );
}
