import { useState } from 'react';
import type { TaskDocument } from '../../../src-shared/domain/flow';
import { retriesText, taskSnippet } from './task-snippet';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import factsCss from '../../ui/facts.module.css';
import formCss from '../../ui/form.module.css';
import layoutCss from '../../ui/layout.module.css';
import tableCss from '../../ui/table.module.css';
import tasksCss from './tasks.module.css';
import textCss from '../../ui/text.module.css';
import visualCss from '../flows/visual-view.module.css';

type CopyState = 'idle' | 'copied' | 'failed';

/** One task: what it takes, what it runs, and the step that calls it, ready to copy. */
export function TaskDetails({ task }: { task: TaskDocument }) {
  const [copy, setCopy] = useState<CopyState>('idle');
  const snippet = taskSnippet(task);

  const copySnippet = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(snippet);
      setCopy('copied');
    } catch {
      // No clipboard (permission refused, insecure page): the text is selectable below.
      setCopy('failed');
    }
  };

  return (
    <section className={cx(layoutCss.panel, tasksCss.taskDetails)} aria-labelledby="task-title" data-testid="task-details" data-task={task.id}>
      <div className={layoutCss.panelHead}>
        <h2 id="task-title">{task.name}</h2>
        <span className={cx(textCss.mono, textCss.muted)}>{task.id}</span>
      </div>
      {task.description && <p data-testid="task-description">{task.description}</p>}
      <dl className={factsCss.facts} data-testid="task-facts">
        <dt>Timeout</dt>
        <dd>{task.timeout !== undefined ? `${task.timeout}s` : 'none (the step or flow may set one)'}</dd>
        <dt>Retries</dt>
        <dd>{task.retries ? retriesText(task.retries) : 'none'}</dd>
        {task.script !== undefined && (
          <>
            <dt>Interpreter</dt>
            <dd className={textCss.mono}>{task.interpreter}</dd>
          </>
        )}
      </dl>
      <h3>Parameters</h3>
      {task.params.length === 0 ? (
        <p className={textCss.muted}>none</p>
      ) : (
        <table className={tableCss.table} data-testid="task-params">
          <thead>
            <tr>
              <th>Name</th>
              <th>Type</th>
              <th>Default</th>
              <th>Required</th>
              <th>Description</th>
            </tr>
          </thead>
          <tbody>
            {task.params.map((p) => (
              <tr key={p.name} data-testid="task-param" data-param={p.name}>
                <td className={textCss.mono}>{p.name}</td>
                <td>{p.type}</td>
                <td className={textCss.mono}>{p.default !== undefined ? JSON.stringify(p.default) : <span className={textCss.muted}>—</span>}</td>
                <td>{p.required ? 'yes' : 'no'}</td>
                <td>{p.description ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{task.run !== undefined ? 'Runs' : 'Script'}</h3>
      <pre className={cx(textCss.mono, visualCss.stepCode)} data-testid="task-body">
        {task.run ?? task.script}
      </pre>
      <div className={formCss.row}>
        <h3>Use in a flow</h3>
        <span className={textCss.spacer} />
        <button type="button" className={cx(buttonCss.btn, buttonCss.small)} onClick={() => void copySnippet()} data-testid="task-snippet-copy">
          Copy
        </button>
        {copy === 'copied' && (
          <span className={textCss.okText} role="status" data-testid="task-snippet-copied">
            copied
          </span>
        )}
        {copy === 'failed' && (
          <span className={textCss.warnText} role="status">
            no clipboard here: select the text and copy it
          </span>
        )}
      </div>
      <pre className={cx(textCss.mono, visualCss.stepCode, tasksCss.taskSnippet)} data-testid="task-snippet" aria-label="Step that calls this task">
        {snippet}
      </pre>
      <p className={cx(textCss.muted, textCss.small)}>Paste under a flow&apos;s steps:, then set the values in with:.</p>
    </section>
  );
}
