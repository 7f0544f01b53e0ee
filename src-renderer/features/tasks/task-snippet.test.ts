import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { taskDocumentSchema } from '../../../src-shared/domain/flow';
import { retriesText, taskSnippet } from './task-snippet';

const task = (doc: unknown) => taskDocumentSchema.parse(doc);

describe('the "use in flow" snippet of a task', () => {
  it('writes every default into with:, typed, and reads back as the step it describes', () => {
    const t = task({
      id: 'restart-service',
      name: 'Restart a service',
      params: [
        { name: 'service', default: 'patroni' },
        { name: 'wait', type: 'number', default: 5 },
        { name: 'force', type: 'boolean', default: false },
      ],
      run: 'systemctl restart {{ params.service }}',
    });
    const text = taskSnippet(t);
    expect(text).toBe('- task: restart-service\n  with: { service: "patroni", wait: 5, force: false }\n');
    expect(parse(text)).toEqual([{ task: 'restart-service', with: { service: 'patroni', wait: 5, force: false } }]);
  });

  it('names parameters without a default in a comment, required first, and leaves with: out when nothing has a default', () => {
    const t = task({
      id: 'notify',
      name: 'Notify',
      params: [
        { name: 'note', required: false },
        { name: 'channel', required: true },
      ],
      run: 'true',
    });
    const text = taskSnippet(t);
    expect(text).toBe('- task: notify\n  # set in with: channel (string, required), note (string)\n');
    expect(parse(text)).toEqual([{ task: 'notify' }]);
  });

  it('quotes a default that YAML would read as something else', () => {
    const t = task({ id: 't', name: 't', params: [{ name: 'v', default: 'yes: no' }, { name: 'n', default: '010' }], run: 'true' });
    expect(parse(taskSnippet(t))).toEqual([{ task: 't', with: { v: 'yes: no', n: '010' } }]);
  });

  it('says retries in words', () => {
    expect(retriesText({ count: 1, delay: 0, backoff: 1 })).toBe('1 retry');
    expect(retriesText({ count: 3, delay: 5, backoff: 2 })).toBe('3 retries, 5s apart, delay x2 each time');
  });
});
