import type { Handlers } from '../../../src-shared/ipc/contract';
import type { EngineRuntime } from '../../engine/runtime';
import { saveSchedule } from '../../schedules/save';
import { previewSchedule, scheduleView } from '../../schedules/view';
import { deleteSchedule, listSchedules } from '../../store/schedule-queries';
import { wouldNotStart } from '../../schedules/dry-start';

export type ScheduleHandlers = Pick<Handlers, 'schedules/list' | 'schedules/save' | 'schedules/delete' | 'schedules/preview'>;

/**
 * Schedules for the console. Every change is announced with the `schedules` engine event: the
 * renderer refreshes, and this process's scheduler reloads at once (other processes' schedulers
 * notice within a second by themselves).
 */
export function scheduleHandlers(rt: EngineRuntime): ScheduleHandlers {
  const changed = (ids: number[]): void => {
    rt.deps.events.emit('schedules', { ids });
  };
  return {
    'schedules/list': async ({ flow }) => {
      const now = Date.now();
      return listSchedules(rt.db, flow).map((s) => scheduleView(s, now));
    },
    'schedules/save': async ({ id, schedule }) => {
      const saved = saveSchedule(rt.db, schedule, id);
      changed([saved.id]);
      return scheduleView(saved);
    },
    'schedules/delete': async ({ id }) => {
      const deleted = deleteSchedule(rt.db, id);
      if (deleted) changed([id]);
      return { deleted };
    },
    'schedules/preview': async ({ when, timezone, count, flow, params }) => {
      const preview = previewSchedule(when, timezone, count);
      if (!preview.ok || flow === undefined) return preview;
      const warning = await wouldNotStart(rt, flow, params ?? {});
      return warning ? { ...preview, warning } : preview;
    },
  };
}
