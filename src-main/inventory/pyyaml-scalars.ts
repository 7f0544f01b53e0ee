// Plain YAML scalars typed the way ansible-core's loader (PyYAML, YAML 1.1) types them, so a
// YAML inventory's `yes`, `0755`, `1_000` or `12:30` reach the context as Ansible reports them:
// true, 493, 1000 and 750, while `y`, `1e3` (no dot) and `01:30` stay text.
import type { ScalarTag } from 'yaml';

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP =
  /^(?:([0-9]{4})-([0-9]{2})-([0-9]{2})|([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?)$/;

/** Base-60 `a:b:c` as PyYAML reads it: each part multiplies what came before by 60. */
function sexagesimal(text: string): number {
  return text.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
}

/** An integer the way PyYAML reads it; past 2^53 it stays text rather than change. */
function resolveInt(src: string): number | string {
  let t = src.replaceAll('_', '');
  let sign = 1;
  if (t[0] === '-' || t[0] === '+') {
    if (t[0] === '-') sign = -1;
    t = t.slice(1);
  }
  let n: number;
  if (t === '0') n = 0;
  else if (t.startsWith('0b')) n = parseInt(t.slice(2), 2);
  else if (t.startsWith('0x')) n = parseInt(t.slice(2), 16);
  else if (t.includes(':')) n = sexagesimal(t);
  else if (t.startsWith('0')) n = parseInt(t, 8);
  else n = Number(t);
  n *= sign;
  return Number.isSafeInteger(n) ? n : src;
}

/** A float; infinity and NaN have no JSON form and keep their text. */
function resolveFloat(src: string): number | string {
  let t = src.replaceAll('_', '').toLowerCase();
  let sign = 1;
  if (t[0] === '-' || t[0] === '+') {
    if (t[0] === '-') sign = -1;
    t = t.slice(1);
  }
  if (t === '.inf' || t === '.nan') return src;
  const n = sign * (t.includes(':') ? sexagesimal(t) : Number(t));
  return Number.isFinite(n) ? n : src;
}

const pad = (s: string | undefined, n: number): string => (s ?? '0').padStart(n, '0');

/**
 * A date or time as Ansible's JSON output writes PyYAML's date and datetime: Python's
 * isoformat (`2024-01-02`, `2024-01-02T10:20:30`, `...T10:20:30.500000+02:00`).
 */
function resolveTimestamp(src: string): string {
  const m = TIMESTAMP.exec(src) as RegExpExecArray;
  if (m[1] !== undefined) return `${m[1]}-${m[2]}-${m[3]}`;
  let out = `${m[4]}-${pad(m[5], 2)}-${pad(m[6], 2)}T${pad(m[7], 2)}:${m[8]}:${m[9]}`;
  const fraction = (m[10] ?? '').slice(0, 6).padEnd(6, '0');
  if (Number(fraction) !== 0) out += `.${fraction}`;
  if (m[11] === 'Z') out += '+00:00';
  else if (m[11] !== undefined) out += `${m[12]}${pad(m[13], 2)}:${pad(m[14], 2)}`;
  return out;
}

/** Custom tags for the `yaml` package's failsafe schema (maps, sequences, strings). */
export const pyyamlScalarTags: ScalarTag[] = [
  { tag: 'tag:yaml.org,2002:null', default: true, test: NULL, resolve: () => null },
  { tag: 'tag:yaml.org,2002:bool', default: true, test: BOOL, resolve: (s) => /^(?:yes|true|on)$/i.test(s) },
  { tag: 'tag:yaml.org,2002:int', default: true, test: INT, resolve: resolveInt },
  { tag: 'tag:yaml.org,2002:float', default: true, test: FLOAT, resolve: resolveFloat },
  { tag: 'tag:yaml.org,2002:timestamp', default: true, test: TIMESTAMP, resolve: resolveTimestamp },
];
