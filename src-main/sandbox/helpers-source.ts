/**
 * The helpers every script and expression may call, as JavaScript source evaluated inside
 * the sandbox (a host function would let sandboxed code call back into Node).
 */

/** File name the helpers are compiled under, so error positions can skip their frames. */
export const HELPERS_FILE = 'flowdeck-helpers';

const orderFlowElements = String.raw`function order_flow_elements(list, keyFn, reverse = false) {
  if (!Array.isArray(list)) throw new TypeError('order_flow_elements(list, keyFn, reverse): list must be an array, such as elements');
  if (typeof keyFn !== 'function') throw new TypeError('order_flow_elements(list, keyFn, reverse): keyFn must be a function, such as x => x.context.role');
  // Numbers (and booleans as 0/1) sort before strings; anything else (undefined, NaN,
  // objects) has no order and goes last, so the comparison stays consistent.
  const rankOf = (key) => (typeof key === 'number' ? (key === key ? 0 : 2) : typeof key === 'string' ? 1 : 2);
  const compare = (a, b) => {
    if (a.rank !== b.rank) return a.rank - b.rank;
    if (a.rank === 2 || a.key === b.key) return 0;
    return a.key < b.key ? -1 : 1;
  };
  const keyed = [];
  for (let i = 0; i < list.length; i++) {
    let key = keyFn(list[i]);
    if (typeof key === 'boolean') key = key ? 1 : 0;
    keyed.push({ element: list[i], index: i, key, rank: rankOf(key) });
  }
  // The index decides ties in both directions: reverse flips the keys, not equal neighbours.
  keyed.sort((a, b) => (reverse ? compare(b, a) : compare(a, b)) || a.index - b.index);
  for (let i = 0; i < keyed.length; i++) list[i] = keyed[i].element;
  return list;
}
`;

const filterFlowElements = String.raw`function filter_flow_elements(list, predicate) {
  if (!Array.isArray(list)) throw new TypeError('filter_flow_elements(list, predicate): list must be an array, such as elements');
  if (typeof predicate !== 'function') throw new TypeError('filter_flow_elements(list, predicate): predicate must be a function, such as e => e.groups.includes("db")');
  const kept = [];
  for (let i = 0; i < list.length; i++) if (predicate(list[i])) kept.push(list[i]);
  list.length = kept.length;
  for (let i = 0; i < kept.length; i++) list[i] = kept[i];
  return list;
}
`;

const shq = String.raw`function shq(value) {
  if (Array.isArray(value)) return value.map(shq).join(' ');
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return "'" + String(value).split("'").join("'\\''") + "'";
  throw new TypeError('shq(x): x must be a string, a number or an array of them, not ' + (value === null ? 'null' : typeof value));
}
`;

const helpers: ReadonlyArray<readonly [name: string, source: string]> = [
  ['order_flow_elements', orderFlowElements],
  ['filter_flow_elements', filterFlowElements],
  ['shq', shq],
];

/** Source defining every helper. */
export const allHelpersSource: string = helpers.map(([, source]) => source).join('');

/**
 * Source defining only the helpers `code` names. Compiling all three costs more than the
 * typical expression itself, and code that never names a helper cannot call it (short of
 * building the name at run time, which nobody does in a `when:`).
 */
export function helpersSourceFor(code: string): string {
  let source = '';
  for (const [name, helperSource] of helpers) if (code.includes(name)) source += helperSource;
  return source;
}
