import type { Handlers } from '../../../src-shared/ipc/contract';
import { getSettings, saveSettings } from '../../store/settings-queries';
import type { EngineRuntime } from '../../engine/runtime';

export type SettingsHandlers = Pick<Handlers, 'settings/get' | 'settings/save'>;

/** Retention and limits. A shorter retention applies at once (`sweep`), not at the next hourly pass. */
export function settingsHandlers(rt: EngineRuntime, sweep?: () => number): SettingsHandlers {
  return {
    'settings/get': async () => getSettings(rt.db),
    'settings/save': async (change) => {
      const next: Parameters<typeof saveSettings>[1] = {};
      if (change.retentionDays !== undefined) next.retentionDays = change.retentionDays;
      if (change.maxConcurrentExecutions !== undefined) next.maxConcurrentExecutions = change.maxConcurrentExecutions;
      if (change.maxQueuedExecutions !== undefined) next.maxQueuedExecutions = change.maxQueuedExecutions;
      const saved = saveSettings(rt.db, next);
      if (change.retentionDays !== undefined) sweep?.();
      return saved;
    },
  };
}
