// Ansible host patterns: `web[01:03].example.com`, `db-[a:c]`, `node[0:10:2]`, and an optional
// `:port` suffix (`beta:2345`), expanded the way ansible-core's expand_hostname_range does.
import type { Parsed } from './ansible-values';

/** A typo such as `[1:1000000]` must not exhaust memory; no real inventory comes close. */
const MAX_RANGE_HOSTS = 10_000;

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The last `:` outside brackets, or -1. */
function lastColonOutsideBrackets(s: string): { index: number; count: number } {
  let depth = 0;
  let index = -1;
  let count = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (c === ':' && depth === 0) {
      index = i;
      count++;
    }
  }
  return { index, count };
}

function expandRanges(pattern: string, out: string[]): string | undefined {
  const open = pattern.indexOf('[');
  if (open < 0) {
    out.push(pattern);
    return undefined;
  }
  const close = pattern.indexOf(']', open);
  if (close < 0) return `host pattern "${pattern}" has "[" without a closing "]"`;
  const head = pattern.slice(0, open);
  const tail = pattern.slice(close + 1);
  const bounds = pattern.slice(open + 1, close).split(':');
  if (bounds.length !== 2 && bounds.length !== 3) return `host range [${bounds.join(':')}] must be [begin:end] or [begin:end:step]`;
  const beg = bounds[0] || '0';
  const end = bounds[1] ?? '';
  const stepText = bounds[2] ?? '1';
  if (end === '') return `host range [${bounds.join(':')}] has no end value`;
  if (!/^[1-9]\d*$/.test(stepText)) return `host range step "${stepText}" must be a positive whole number`;
  const step = Number(stepText);
  let seq: string[];
  const iBeg = beg.length === 1 ? LETTERS.indexOf(beg) : -1;
  const iEnd = end.length === 1 ? LETTERS.indexOf(end) : -1;
  if (iBeg >= 0 && iEnd >= 0) {
    if (iBeg > iEnd) return `host range [${beg}:${end}] must have begin <= end`;
    seq = [];
    for (let i = iBeg; i <= iEnd; i += step) seq.push(LETTERS[i] as string);
  } else {
    if (!/^\d+$/.test(beg) || !/^\d+$/.test(end)) return `host range [${beg}:${end}] must be numbers (01:10) or single letters (a:f)`;
    // A leading zero is Ansible's signal for a fixed width: [01:10] -> 01 02 ... 10.
    const width = beg.length > 1 && beg[0] === '0' ? beg.length : 0;
    if (width && width !== end.length) return `host range [${beg}:${end}] must have begin and end of the same width`;
    const b = Number(beg);
    const e = Number(end);
    if (b > e) return `host range [${beg}:${end}] must have begin <= end`;
    if ((e - b) / step + 1 > MAX_RANGE_HOSTS) return `host range [${beg}:${end}] expands to more than ${MAX_RANGE_HOSTS} hosts`;
    seq = [];
    for (let n = b; n <= e; n += step) seq.push(width ? String(n).padStart(width, '0') : String(n));
  }
  for (const part of seq) {
    const err = expandRanges(head + part + tail, out);
    if (err) return err;
    if (out.length > MAX_RANGE_HOSTS) return `host pattern "${pattern}" expands to more than ${MAX_RANGE_HOSTS} hosts`;
  }
  return undefined;
}

/** The host names a pattern stands for and the port it names, if any. */
export function expandHostPattern(pattern: string): Parsed<{ hosts: string[]; port?: number }> {
  let body = pattern;
  let port: number | undefined;
  const colon = lastColonOutsideBrackets(pattern);
  // Exactly one colon outside brackets followed by digits is a port; more colons mean an
  // IPv6 address, which Ansible only takes with the port in brackets.
  if (colon.count === 1 && /^\d+$/.test(pattern.slice(colon.index + 1))) {
    port = Number(pattern.slice(colon.index + 1));
    body = pattern.slice(0, colon.index);
    if (port < 1 || port > 65535) return { ok: false, message: `port ${port} in "${pattern}" must be from 1 to 65535` };
  }
  const hosts: string[] = [];
  const err = expandRanges(body, hosts);
  if (err) return { ok: false, message: err };
  return { ok: true, value: port === undefined ? { hosts } : { hosts, port } };
}
