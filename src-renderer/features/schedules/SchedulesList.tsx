import { useState } from 'react';
import type { ScheduleView } from '../../../src-shared/domain/schedule';
import { formatDateTime } from '../../format/time';
import { reportError } from '../../shell/errors';
import { routeHref } from '../../shell/route';
import { useSchedules } from './schedules-store';
import { NextRuns } from './NextRuns';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import formCss from '../../ui/form.module.css';
import tableCss from '../../ui/table.module.css';
import textCss from '../../ui/text.module.css';
import { EmptyRow } from '../../ui/EmptyRow';

interface Props {
  schedules: ScheduleView[];
  /** The Schedules page shows every flow's; the flow editor's panel only one flow's. */
  showFlow: boolean;
  selected: number | null;
  onEdit: (id: number) => void;
  /** Called after a schedule was deleted (the editor may have it open). */
  onDeleted?: (id: number) => void;
}

function policies(s: ScheduleView): string {
  const missed = s.missed === 'run-once' ? `run once if missed by ≤ ${Math.round(s.missedWindowSeconds / 60)} min` : 'skip missed';
  return `overlap: ${s.overlap} · ${missed}`;
}

interface RowProps {
  s: ScheduleView;
  showFlow: boolean;
  selected: boolean;
  onEdit: (id: number) => void;
  onDeleted?: ((id: number) => void) | undefined;
}

function ScheduleRow({ s, showFlow, selected, onEdit, onDeleted }: RowProps) {
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [busy, setBusy] = useState(false);
  /** The state a toggle asked for, shown until main answers (then the stored one, whatever it says). */
  const [pending, setPending] = useState<boolean | null>(null);
  const enabled = pending ?? s.enabled;

  const toggle = async (next: boolean): Promise<void> => {
    setBusy(true);
    setPending(next);
    const error = await useSchedules.getState().setEnabled(s, next);
    setBusy(false);
    setPending(null);
    if (error) reportError(`${next ? 'Enabling' : 'Disabling'} schedule #${s.id}: ${error}`);
  };

  const remove = async (): Promise<void> => {
    setBusy(true);
    const error = await useSchedules.getState().remove(s.id);
    setBusy(false);
    setConfirmDelete(false);
    if (error) reportError(`Deleting schedule #${s.id}: ${error}`);
    else onDeleted?.(s.id);
  };

  return (
    <tr className={selected ? tableCss.selected : undefined} data-testid="schedule-row" data-schedule={s.id} data-enabled={s.enabled} aria-selected={selected}>
      {showFlow && (
        <td>
          <a href={routeHref({ page: 'flow', id: s.flow })} className={textCss.mono}>
            {s.flow}
          </a>
        </td>
      )}
      <td>
        {s.name && <div data-testid="schedule-row-name">{s.name}</div>}
        <div data-testid="schedule-row-description">{s.description}</div>
        <div className={cx(textCss.muted, textCss.mono, textCss.small)}>{s.cron}</div>
        {s.lastFiredAt !== null && <div className={cx(textCss.muted, textCss.small)}>last fired {formatDateTime(s.lastFiredAt)}</div>}
      </td>
      <td className={textCss.mono}>{s.timezone}</td>
      <td>{s.enabled ? <NextRuns runs={s.nextRuns} zone={s.timezone} limit={3} testId="schedule-row-next" /> : <span className={textCss.muted}>disabled</span>}</td>
      <td>
        <label className={formCss.fieldCheck}>
          <input type="checkbox" checked={enabled} disabled={busy} onChange={(e) => void toggle(e.target.checked)} aria-label={`Schedule #${s.id} enabled`} data-testid="schedule-row-enabled" />
          <span>{enabled ? 'on' : 'off'}</span>
        </label>
      </td>
      <td className={textCss.small}>{policies(s)}</td>
      <td className={tableCss.rowActions}>
        {confirmDelete ? (
          <>
            <span className={textCss.muted}>Delete?</span>
            <button type="button" className={cx(buttonCss.btn, buttonCss.small, buttonCss.danger)} disabled={busy} onClick={() => void remove()} data-testid="schedule-row-delete-confirm">
              Delete
            </button>
            <button type="button" className={cx(buttonCss.btn, buttonCss.small)} onClick={() => setConfirmDelete(false)} data-testid="schedule-row-delete-keep">
              Keep
            </button>
          </>
        ) : (
          <>
            <button type="button" className={cx(buttonCss.btn, buttonCss.small)} onClick={() => onEdit(s.id)} data-testid="schedule-row-edit">
              Edit
            </button>
            <button type="button" className={cx(buttonCss.btn, buttonCss.small)} onClick={() => setConfirmDelete(true)} data-testid="schedule-row-delete">
              Delete…
            </button>
          </>
        )}
      </td>
    </tr>
  );
}

/** Schedules with their words, zone, next runs and policies; enable, edit or delete each. */
export function SchedulesList({ schedules, showFlow, selected, onEdit, onDeleted }: Props) {
  return (
    <table className={cx(tableCss.table, formCss.pickList)} data-testid="schedules-table">
      <thead>
        <tr>
          {showFlow && <th>Flow</th>}
          <th>Schedule</th>
          <th>Zone</th>
          <th>Next runs</th>
          <th>Enabled</th>
          <th>Policies</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {schedules.map((s) => (
          <ScheduleRow key={s.id} s={s} showFlow={showFlow} selected={selected === s.id} onEdit={onEdit} onDeleted={onDeleted} />
        ))}
        {schedules.length === 0 && (
          <EmptyRow columns={showFlow ? 7 : 6}>
            No schedules{showFlow ? '' : ' for this flow'}: add one to run the flow by itself on days and a time, or on a cron expression.
          </EmptyRow>
        )}
      </tbody>
    </table>
  );
}
