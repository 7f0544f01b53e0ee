import { useEffect, useState } from 'react';
import type { ScheduleWhen } from '../../../src-shared/domain/schedule';
import type { JsonObject } from '../../../src-shared/domain/inventory';
import { bridge } from '../../bridge';
import { errorText } from '../../format/error';

const PREVIEW_DELAY_MS = 250;

export type PreviewState =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'ok'; description: string; cron: string; nextRuns: number[]; warning?: string }
  | { state: 'problem'; message: string };

/**
 * The schedule in words and its next runs, asked of main (`schedules/preview`) a moment after the
 * operator stops typing; an answer to an older question than the latest is dropped. With a flow,
 * also a warning when a run of it would fail now (its targets match nothing, say).
 */
export function useSchedulePreview(
  when: ScheduleWhen | null,
  timezone: string,
  count = 5,
  run?: { flow: string; params: JsonObject },
): PreviewState {
  const [preview, setPreview] = useState<PreviewState>({ state: 'idle' });
  const key = when === null ? '' : JSON.stringify([when, timezone, count, run]);

  useEffect(() => {
    if (when === null) {
      setPreview({ state: 'idle' });
      return;
    }
    let stale = false;
    setPreview({ state: 'checking' });
    const timer = setTimeout(() => {
      void bridge.invoke('schedules/preview', { when, timezone, count, ...(run ? { flow: run.flow, params: run.params } : {}) }).then((r) => {
        if (stale) return;
        if (!r.ok) setPreview({ state: 'problem', message: errorText(r.error) });
        else if (!r.value.ok) setPreview({ state: 'problem', message: r.value.problem.message });
        else {
          const { description, cron, nextRuns, warning } = r.value;
          setPreview({ state: 'ok', description, cron, nextRuns, ...(warning ? { warning } : {}) });
        }
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
