import { useEffect, useMemo, useState } from 'react';
import { ScheduleForm } from './ScheduleForm';
import { SchedulesList } from './SchedulesList';
import { onReconnect } from '../../shell/connection';
import { useFlows } from '../flows/flows-store';
import { useSchedules, watchSchedules } from './schedules-store';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import layoutCss from '../../ui/layout.module.css';
import schedulesCss from './schedules.module.css';
import textCss from '../../ui/text.module.css';

/** Every flow's schedules: the words, zone and next runs of each; add, edit, enable or delete them. */
export function SchedulesPage() {
  const { schedules, loading } = useSchedules();
  const flows = useFlows((s) => s.flows);
  const [flow, setFlow] = useState('');
  /** The schedule in the form: an id, 'new', or null for none. */
  const [editing, setEditing] = useState<number | 'new' | null>(null);

  useEffect(() => {
    void useFlows.getState().load();
    const unwatch = watchSchedules();
    const off = onReconnect(() => {
      void useSchedules.getState().load();
      void useFlows.getState().load();
    });
    return () => {
      unwatch();
      off();
    };
  }, []);

  const shown = useMemo(() => (flow ? schedules.filter((s) => s.flow === flow) : schedules), [schedules, flow]);
  const flowIds = flows.map((f) => f.id);
  const current = typeof editing === 'number' ? (schedules.find((s) => s.id === editing) ?? null) : null;
  const enabled = schedules.filter((s) => s.enabled).length;

  return (
    <div className={schedulesCss.pageSchedules}>
      <div className={layoutCss.pageHead}>
        <h1>Schedules</h1>
        <span className={textCss.muted} data-testid="schedule-count">
          {schedules.length} schedule{schedules.length === 1 ? '' : 's'}, {enabled} enabled
        </span>
        {loading && <span className={textCss.muted}>loading…</span>}
        <span className={textCss.spacer} />
        <button
          type="button"
          className={cx(buttonCss.btn, buttonCss.primary)}
          onClick={() => setEditing('new')}
          disabled={flowIds.length === 0}
          title={flowIds.length === 0 ? 'save a flow first' : undefined}
          data-testid="schedule-new"
        >
          New schedule
        </button>
      </div>
      <div className={layoutCss.toolbar}>
        <select value={flow} onChange={(e) => setFlow(e.target.value)} aria-label="Flow" data-testid="schedules-flow-filter">
          <option value="">all flows</option>
          {[...new Set([...flowIds, ...schedules.map((s) => s.flow)])].sort().map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </select>
      </div>
      <div className={layoutCss.split}>
        <div className={cx(layoutCss.splitMain, layoutCss.scroll)}>
          <SchedulesList schedules={shown} showFlow selected={typeof editing === 'number' ? editing : null} onEdit={setEditing} onDeleted={(id) => setEditing((e) => (e === id ? null : e))} />
        </div>
        {editing !== null && (editing === 'new' || current) && (
          <aside className={cx(layoutCss.splitSide, layoutCss.scroll)}>
            <ScheduleForm
              key={String(editing)}
              schedule={current}
              flows={flowIds}
              defaultFlow={flow || undefined}
              onSaved={() => setEditing(null)}
              onClose={() => setEditing(null)}
            />
          </aside>
        )}
      </div>
    </div>
  );
}
