import { describe, expect, it } from 'vitest';
import type { StepRunStatus } from '../../../src-shared/domain/execution';
import type { OutputGroup } from '../../../src-shared/ipc/contract';
import { PLAIN } from './log/ansi';
import { formatBytes, groupSummary, runningElements, sampleLines, splitOutliers } from './output-groups';

const group = (elements: string[], sample = 'x\n'): OutputGroup => ({
  key: elements.join(','),
  elements,
  size: elements.length,
  bytes: sample.length,
  sample,
  truncated: false,
});

describe('groupSummary', () => {
  it('says how many agree with the largest group and how many differ', () => {
    expect(groupSummary({ groups: [group(['a', 'b', 'c']), group(['d']), group(['e'])], missing: [] })).toBe('3 identical, 2 differ');
  });

  it('says all are identical, or all differ, and counts what did not run', () => {
    expect(groupSummary({ groups: [group(['a', 'b'])], missing: ['c'] })).toBe('all 2 identical, 1 not run');
    expect(groupSummary({ groups: [group(['a'])], missing: [] })).toBe('1 element');
    expect(groupSummary({ groups: [group(['a']), group(['b']), group(['c'])], missing: [] })).toBe('3 differ');
    expect(groupSummary({ groups: [], missing: ['a', 'b'] })).toBe('no output yet, 2 not run');
  });

  it('leaves elements still running out of the counts and says how many run', () => {
    const groups = [group(['a', 'b', 'c']), group(['d'])];
    expect(groupSummary({ groups, missing: ['e'] }, new Set(['c', 'd']))).toBe('all 2 identical, 2 running, 1 not run');
    expect(groupSummary({ groups: [group(['a', 'b'])], missing: [] }, new Set(['a', 'b']))).toBe('2 running');
  });
});

describe('runningElements', () => {
  const run = (id: number, element: string, attempt: number, status: StepRunStatus, step = 'check') => ({ id, element, step, attempt, status });
  it('looks at the last attempt of the step on each element', () => {
    const runs = [run(1, 'a', 1, 'failed'), run(2, 'b', 1, 'running'), run(3, 'a', 2, 'running'), run(4, 'c', 1, 'succeeded'), run(5, 'c', 1, 'running', 'other')];
    expect(runningElements(runs, 'check')).toEqual(new Set(['a', 'b']));
    expect(runningElements([run(1, 'a', 1, 'failed'), run(2, 'a', 2, 'succeeded')], 'check')).toEqual(new Set());
  });
});

describe('splitOutliers', () => {
  it('puts the largest group on top and the rest side by side', () => {
    const [big, d, e] = [group(['a', 'b', 'c']), group(['d']), group(['e'])];
    expect(splitOutliers([big, d, e])).toEqual({ main: big, outliers: [d, e] });
  });

  it('has no leading group when no two elements agree, and nothing for no groups', () => {
    const all = [group(['a']), group(['b'])];
    expect(splitOutliers(all)).toEqual({ main: null, outliers: all });
    expect(splitOutliers([group(['a'])])).toEqual({ main: group(['a']), outliers: [] });
    expect(splitOutliers([])).toEqual({ main: null, outliers: [] });
  });
});

describe('sampleLines', () => {
  it('splits on newlines without an empty line for the final newline', () => {
    expect(sampleLines('one\ntwo\n', 10).lines.map((l) => l.text)).toEqual(['one', 'two']);
    expect(sampleLines('one\n\npartial', 10).lines.map((l) => l.text)).toEqual(['one', '', 'partial']);
    expect(sampleLines('', 10)).toEqual({ lines: [], more: 0 });
  });

  it('carries a colour into the next lines until it is reset', () => {
    const { lines } = sampleLines('\x1b[31mred\nstill red\x1b[0m\nplain\n', 10);
    expect(lines[0]?.start).toEqual(PLAIN);
    expect(lines[1]?.start.fg).toBe(31);
    expect(lines[2]?.start).toEqual(PLAIN);
  });

  it('stops at maxLines and counts the rest', () => {
    const r = sampleLines('1\n2\n3\n4\n5\n', 2);
    expect(r.lines.map((l) => l.text)).toEqual(['1', '2']);
    expect(r.more).toBe(3);
  });
});

describe('formatBytes', () => {
  it('names sizes in binary units', () => {
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(64 * 1024)).toBe('64 KiB');
    expect(formatBytes(3_600_007)).toBe('3.4 MiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
  });
});
