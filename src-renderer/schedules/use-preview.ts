import { useEffect, useState } from 'react';
import type { ScheduleWhen } from '../../src-shared/domain/schedule';
import { bridge } from '../bridge';
import { errorText } from '../format/error';

export const PREVIEW_DELAY_MS = 250;

export type PreviewState =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'ok'; description: string; cron: string; nextRuns: number[] }
  | { state: 'problem'; message: string };

/**
 * The schedule in words and its next runs, asked of main (`schedules/preview`) a moment after the
 * operator stops typing; an answer to an older question than the latest is dropped.
 */
export function useSchedulePreview(when: ScheduleWhen | null, timezone: string, count = 5): PreviewState {
  const [preview, setPreview] = useState<PreviewState>({ state: 'idle' });
  const key = when === null ? '' : JSON.stringify([when, timezone, count]);

  useEffect(() => {
    if (when === null) {
      setPreview({ state: 'idle' });
      return;
    }
    let stale = false;
    setPreview({ state: 'checking' });
    const timer = setTimeout(() => {
      void bridge.invoke('schedules/preview', { when, timezone, count }).then((r) => {
        if (stale) return;
        if (!r.ok) setPreview({ state: 'problem', message: errorText(r.error) });
        else if (!r.value.ok) setPreview({ state: 'problem', message: r.value.problem.message });
        else setPreview({ state: 'ok', description: r.value.description, cron: r.value.cron, nextRuns: r.value.nextRuns });
      });
    }, PREVIEW_DELAY_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
    // `key` stands for when/timezone/count by value: a new object with the same content asks nothing.
  }, [key]);

  return preview;
}
