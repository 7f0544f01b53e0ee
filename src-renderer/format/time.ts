const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `2024-05-01 13:04:05` in local time; an em dash for no time. */
export function formatDateTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** `13:04:05.123` in local time. */
export function formatClock(ms: number, withMillis = false): string {
  const d = new Date(ms);
  const base = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return withMillis ? `${base}.${pad(d.getMilliseconds(), 3)}` : base;
}

/** `850ms`, `12.3s`, `3m 04s`, `2h 05m`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  const h = Math.floor(s / 3600);
  if (h < 48) return `${h}h ${pad(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** How long between two times, the second defaulting to now (a running thing). */
export function span(start: number | null | undefined, end: number | null | undefined, now = Date.now()): number | null {
  if (start === null || start === undefined) return null;
  return (end ?? now) - start;
}
