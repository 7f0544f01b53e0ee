import { describe, expect, it } from 'vitest';
import { labelPairs, parseLabelFilter, parseLabels } from './labels';

describe('parseLabels', () => {
  it('reads comma- and space-separated pairs; a repeated key makes a list', () => {
    expect(parseLabels('ticket=OPS-12, env=prod host=a,host=b')).toEqual({ ok: true, labels: { ticket: ['OPS-12'], env: ['prod'], host: ['a', 'b'] } });
  });

  it('keeps a value that holds "=" whole and drops an exact repeat', () => {
    expect(parseLabels('q=a=b q=a=b')).toEqual({ ok: true, labels: { q: ['a=b'] } });
  });

  it('treats empty text as no labels', () => {
    expect(parseLabels('  , ')).toEqual({ ok: true, labels: {} });
  });

  it('says what is wrong with a pair', () => {
    expect(parseLabels('ticket')).toEqual({ ok: false, problem: 'label "ticket" has no value: write key=value' });
    expect(parseLabels('=x')).toEqual({ ok: false, problem: 'label "=x" has no key: write key=value' });
    expect(parseLabels('ticket=')).toEqual({ ok: false, problem: 'label "ticket" has no value: write ticket=value' });
  });
});

describe('parseLabelFilter', () => {
  it('reads key or key=value, trimming around the parts', () => {
    expect(parseLabelFilter('')).toEqual({ ok: true, filter: null });
    expect(parseLabelFilter(' ticket ')).toEqual({ ok: true, filter: { key: 'ticket' } });
    expect(parseLabelFilter('ticket = OPS-12')).toEqual({ ok: true, filter: { key: 'ticket', value: 'OPS-12' } });
    expect(parseLabelFilter('ticket=')).toEqual({ ok: true, filter: { key: 'ticket' } });
  });

  it('refuses a filter without a key', () => {
    expect(parseLabelFilter('=OPS-12')).toMatchObject({ ok: false });
  });
});

describe('labelPairs', () => {
  it('gives one pair per value, keys and values sorted', () => {
    expect(labelPairs({ ticket: ['OPS-12'], env: ['prod', 'eu'] })).toEqual([
      { key: 'env', value: 'eu' },
      { key: 'env', value: 'prod' },
      { key: 'ticket', value: 'OPS-12' },
    ]);
  });
});
