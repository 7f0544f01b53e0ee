/**
 * Execution labels as operators type them: `ticket=OPS-12 env=prod, host=a host=b`. A key given
 * twice makes a list (`host: [a, b]`), which is how the engine stores them (key -> values).
 */

export type Labels = Record<string, string[]>;

export type LabelsParse = { ok: true; labels: Labels } | { ok: false; problem: string };

/** Comma- or space-separated `key=value` pairs; empty text is no labels. */
export function parseLabels(text: string): LabelsParse {
  const labels: Labels = {};
  for (const part of text.split(/[\s,]+/).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq === -1) return { ok: false, problem: `label "${part}" has no value: write key=value` };
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (key === '') return { ok: false, problem: `label "${part}" has no key: write key=value` };
    if (value === '') return { ok: false, problem: `label "${key}" has no value: write ${key}=value` };
    const values = (labels[key] ??= []);
    if (!values.includes(value)) values.push(value);
  }
  return { ok: true, labels };
}

interface LabelFilter {
  key: string;
  value?: string;
}

export type LabelFilterParse = { ok: true; filter: LabelFilter | null } | { ok: false; problem: string };

/** The history search's label box: `key` (any value) or `key=value`; empty means no filter. */
export function parseLabelFilter(text: string): LabelFilterParse {
  const t = text.trim();
  if (t === '') return { ok: true, filter: null };
  const eq = t.indexOf('=');
  const key = (eq === -1 ? t : t.slice(0, eq)).trim();
  if (key === '') return { ok: false, problem: 'the label filter needs a key: key or key=value' };
  if (eq === -1) return { ok: true, filter: { key } };
  const value = t.slice(eq + 1).trim();
  // `key=` reads as "has this key", the same as `key` alone, rather than as "value is empty".
  return { ok: true, filter: value === '' ? { key } : { key, value } };
}

/**
 * One `key=value` chip per value, keys and values sorted: the order main stores them in, so
 * the run dialog's preview and the saved execution read the same.
 */
export function labelPairs(labels: Labels): Array<{ key: string; value: string }> {
  return Object.keys(labels)
    .sort()
    .flatMap((key) => [...(labels[key] ?? [])].sort().map((value) => ({ key, value })));
}
