import { useEffect, useMemo, useState } from 'react';
import { useSchedules, watchSchedules } from './schedules-store';
import { ScheduleForm } from './ScheduleForm';
import { SchedulesList } from './SchedulesList';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import layoutCss from '../../ui/layout.module.css';
import schedulesCss from './schedules.module.css';
import textCss from '../../ui/text.module.css';

/** The flow editor's schedules: the Schedules page's list and form, for this flow only. */
export function SchedulesPanel({ flowId }: { flowId: string }) {
  const all = useSchedules((s) => s.schedules);
  /** The schedule in the form: an id, 'new', or null for none. */
  const [editing, setEditing] = useState<number | 'new' | null>(null);

  useEffect(() => watchSchedules(), []);

  const schedules = useMemo(() => all.filter((s) => s.flow === flowId), [all, flowId]);
  const current = typeof editing === 'number' ? (schedules.find((s) => s.id === editing) ?? null) : null;

  return (
    <section className={cx(layoutCss.panel, schedulesCss.schedulesPanel)} aria-labelledby="schedules-panel-title" data-testid="schedules-panel">
      <div className={layoutCss.panelHead}>
        <h2 id="schedules-panel-title">Schedules of {flowId}</h2>
        <span className={textCss.spacer} />
        <button type="button" className={cx(buttonCss.btn, buttonCss.primary, buttonCss.small)} onClick={() => setEditing('new')} data-testid="schedule-new">
          Add schedule
        </button>
      </div>
      <SchedulesList schedules={schedules} showFlow={false} selected={typeof editing === 'number' ? editing : null} onEdit={setEditing} onDeleted={(id) => setEditing((e) => (e === id ? null : e))} />
      {editing !== null && (editing === 'new' || current) && (
        <ScheduleForm key={String(editing)} schedule={current} flows={[flowId]} fixedFlow={flowId} onSaved={() => setEditing(null)} onClose={() => setEditing(null)} />
      )}
    </section>
  );
}
