import type { Db } from './db';
import type { SettingsView } from '../../src-shared/ipc/contract';

/** Defaults when nothing was set: keep every execution; a handful of runs at once on a laptop. */
export const DEFAULT_SETTINGS: SettingsView = { retentionDays: null, maxConcurrentExecutions: 8, maxQueuedExecutions: null };

export function getSettings(db: Db): SettingsView {
  const rows = db.prepare('SELECT key, value FROM settings').all() as Array<{ key: string; value: string }>;
  const out: SettingsView = { ...DEFAULT_SETTINGS };
  for (const r of rows) {
    const v = JSON.parse(r.value) as unknown;
    if (r.key === 'retentionDays' && (v === null || typeof v === 'number')) out.retentionDays = v;
    if (r.key === 'maxConcurrentExecutions' && typeof v === 'number') out.maxConcurrentExecutions = v;
    if (r.key === 'maxQueuedExecutions' && (v === null || typeof v === 'number')) out.maxQueuedExecutions = v;
  }
  return out;
}

export function saveSettings(db: Db, change: Partial<SettingsView>): SettingsView {
  const put = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  db.transaction(() => {
    for (const [k, v] of Object.entries(change)) if (v !== undefined) put.run(k, JSON.stringify(v));
  })();
  return getSettings(db);
}
