import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src-shared/domain/inventory';
import { FlowdeckError } from '../../src-shared/errors';
import {
  bodyMode,
  insertHeaderValue,
  planHttpBody,
  planHttpHeader,
  planHttpUrl,
  renderHttpBody,
  renderHttpHeader,
  renderHttpUrl,
  type UrlContext,
} from './http-context';
import { InsertionError } from './template-values';
import { failure } from './test-support';

const fill = (count: number, values: JsonValue[]): JsonValue[] => Array.from({ length: count }, (_, index) => (index < values.length ? values[index] : values[0]) as JsonValue);

function url(template: string, ...values: JsonValue[]): string {
  const plan = planHttpUrl(template, 'step "h".http.url');
  return renderHttpUrl(plan, fill(plan.slots.length, values));
}

function body(template: string, contentType: string | undefined, ...values: JsonValue[]): string {
  const plan = planHttpBody(template, 'step "h".http.body', contentType);
  return renderHttpBody(plan, fill(plan.slots.length, values));
}


function kinds(template: string): string[] {
  return planHttpUrl(template, 'u').slots.map((slot) => {
    const context: UrlContext = slot.context;
    return context.kind === 'host' && context.bracketed ? 'host[]' : context.kind;
  });
}

describe('URL contexts', () => {
  const table: Array<[string, string[]]> = [
    ['{{ base }}/health', ['base']],
    ['{{ base }}', ['base']],
    ['{{ s }}://h/', ['scheme']],
    ['http{{ s }}://h/', ['refused']],
    ['https://{{ host }}/x', ['host']],
    ['https://{{ host }}:{{ port }}/x', ['host', 'port']],
    ['https://{{ user }}:{{ pass }}@{{ host }}:{{ port }}/', ['userinfo', 'userinfo', 'host', 'port']],
    ['https://[{{ v6 }}]:8080/', ['host[]']],
    ['https://h/{{ a }}/b{{ b }}?q={{ c }}&r={{ d }}#{{ e }}', ['path', 'path', 'query', 'query', 'fragment']],
    ['https://h?{{ q }}', ['query']],
    ['https://h#a?{{ f }}', ['fragment']],
    ['https://{{ host }}', ['host']],
    ['{{ base }}?q={{ q }}', ['base', 'query']],
  ];
  for (const [template, expected] of table) {
    it(JSON.stringify(template), () => {
      expect(kinds(template)).toEqual(expected);
    });
  }
});

describe('renderHttpUrl', () => {
  it('percent-encodes path, query and fragment values', () => {
    expect(url('https://api.example.com/v1/users/{{ id }}?q={{ q }}#{{ f }}', 'a/b c', 'x&y=z#w+v', 'é ?')).toBe(
      'https://api.example.com/v1/users/a%2Fb%20c?q=x%26y%3Dz%23w%2Bv#%C3%A9%20%3F',
    );
  });

  it('checks host, port and scheme values', () => {
    expect(url('http://{{ h }}:{{ p }}/', 'pg1.example.com', 5432)).toBe('http://pg1.example.com:5432/');
    expect(url('http://{{ h }}:8080/', '::1')).toBe('http://[::1]:8080/');
    expect(url('http://[{{ h }}]:8080/', 'fe80::1')).toBe('http://[fe80::1]:8080/');
    expect(url('{{ s }}://h/', 'HTTPS')).toBe('HTTPS://h/');
    expect(url('https://{{ u }}:{{ p }}@h/', 'me@x', 'p:ss/w')).toBe('https://me%40x:p%3Ass%2Fw@h/');
    expect(failure(() => url('http://{{ h }}/', 'evil.com/x?')).message).toContain("a host name may hold letters, digits, '.', '-' and '_' only");
    expect(failure(() => url('http://{{ h }}/', 'a@evil.com')).message).toContain('a host name may hold');
    expect(failure(() => url('http://h:{{ p }}/', '80/x')).message).toContain('a port must be a number from 0 to 65535');
    expect(failure(() => url('http://h:{{ p }}/', 70000)).message).toContain('a port must be');
    expect(failure(() => url('{{ s }}://h/', 'file')).message).toContain('the URL scheme must be http or https');
    expect(failure(() => url('http://[{{ h }}]/', 'x.y')).message).toContain('inside [ ] the host must be an IPv6 address');
  });

  it('takes a whole base URL only when it is an http(s) URL', () => {
    expect(url('{{ base }}/health', 'https://api.example.com:8443/v1')).toBe('https://api.example.com:8443/v1/health');
    expect(failure(() => url('{{ base }}/health', 'file:///etc/passwd')).message).toContain('the URL must be http or https, not file');
    expect(failure(() => url('{{ base }}/x', 'https://a b')).message).toContain('cannot hold spaces');
    expect(failure(() => url('{{ base }}/x', 'not a url')).message).toContain('cannot hold spaces');
    expect(failure(() => url('{{ base }}/x', 'nope')).message).toContain('must be an absolute http(s) URL');
  });

  it('refuses a value that makes a path segment a dot segment or empty', () => {
    expect(failure(() => url('https://h/api/{{ x }}/admin', '..')).message).toBe(
      '`{{ x }}`: the value makes a path segment `..`, which would change the path the request goes to',
    );
    expect(failure(() => url('https://h/api/{{ x }}', '.')).message).toContain('`.`');
    expect(failure(() => url('https://h/api/{{ x }}{{ y }}/', '.', '.')).message).toContain('`..`');
    expect(failure(() => url('https://h/items/{{ x }}', '')).message).toContain('a path segment empty');
    expect(url('https://h/api/v{{ x }}', '..')).toBe('https://h/api/v..');
    expect(url('https://h/api?x={{ x }}', '..')).toBe('https://h/api?x=..');
  });

  it('refuses a value that is not valid Unicode', () => {
    expect(failure(() => url('https://h/{{ x }}', '\ud800')).message).toContain('lone UTF-16 surrogate');
  });

  it('inserts raw values verbatim and reads the parts after them on their text', () => {
    expect(url('https://h/{{ raw path }}/{{ x }}', 'a/b', 'c d')).toBe('https://h/a/b/c%20d');
    // The raw text starts the query, so the next slot is a query value.
    expect(url('https://h/p{{ raw q }}{{ x }}', '?a=', '..')).toBe('https://h/p?a=..');
  });

  it('throws a refused slot at its position', () => {
    const error = failure(() => url('http{{ s }}://h/', 's'));
    expect(error.location).toEqual({ file: 'step "h".http.url', line: 1, column: 5 });
  });
});

describe('HTTP bodies', () => {
  it('decides JSON from the Content-Type, else from the text', () => {
    expect(bodyMode('application/json; charset=utf-8', 'x')).toBe('json');
    expect(bodyMode('application/vnd.api+json', 'x')).toBe('json');
    expect(bodyMode('application/x-www-form-urlencoded', 'a={{ x }}')).toBe('form');
    expect(bodyMode('text/plain', '{"a": 1}')).toBe('text');
    expect(bodyMode(undefined, '  {"a": {{ x }}}')).toBe('json');
    expect(bodyMode(undefined, '[{{ x }}]')).toBe('json');
    expect(bodyMode(undefined, '{{ payload }}')).toBe('text');
    expect(bodyMode(undefined, 'hello {{ x }}')).toBe('text');
  });

  it('escapes a slot inside a JSON string and stringifies a slot standing as a value', () => {
    const template = '{"msg": "deploy {{ v }} now", "n": {{ n }}, "tags": {{ tags }}, "none": {{ none }}, "s": {{ s }}}';
    const out = body(template, undefined, 'a"b\\c\n</script>\u2028', 5, ['x', 'y"z'], null, 'q"');
    expect(JSON.parse(out)).toEqual({ msg: 'deploy a"b\\c\n</script>\u2028 now', n: 5, tags: ['x', 'y"z'], none: null, s: 'q"' });
  });

  it('writes a non-string value inside a JSON string as its text', () => {
    expect(JSON.parse(body('{"a": "n={{ n }} o={{ o }}"}', 'application/json', 5, { k: '"' }))).toEqual({ a: 'n=5 o={"k":"\\""}' });
  });

  it('refuses a slot right after a backslash in a JSON string', () => {
    expect(failure(() => body('{"a": "\\{{ x }}"}', 'application/json', 'n')).message).toContain('a `\\` right before `{{`');
  });

  it('percent-encodes a form body and leaves other bodies verbatim', () => {
    expect(body('a={{ x }}&b=2', 'application/x-www-form-urlencoded', 'x&y=z é')).toBe('a=x%26y%3Dz%20%C3%A9&b=2');
    expect(body('hello {{ x }}', 'text/plain', '"<&>"')).toBe('hello "<&>"');
    expect(body('{{ payload }}', undefined, { a: [1] })).toBe('{"a":[1]}');
  });

  it('inserts raw JSON verbatim and reads the text after it on its contents', () => {
    expect(JSON.parse(body('{"a": {{ raw obj }}, "b": "{{ x }}"}', 'application/json', '{"k": "}"}', '"'))).toEqual({ a: { k: '}' }, b: '"' });
    expect(JSON.parse(body('{"a": "{{ raw open }}{{ x }}"}', 'application/json', 'pre \\"', 'q"'))).toEqual({ a: 'pre "q"' });
  });
});

describe('HTTP headers', () => {
  it('inserts the text and refuses line breaks, also from raw values', () => {
    const plan = planHttpHeader('Bearer {{ token }}', 'step "h".http.headers.Authorization');
    expect(renderHttpHeader(plan, ['abc.def'])).toBe('Bearer abc.def');
    const error = failure(() => renderHttpHeader(plan, ['x\r\nX-Evil: 1']));
    expect(error.message).toBe('`{{ token }}`: a header value cannot hold a line break or NUL character (it would start a new header)');
    expect(error.location).toEqual({ file: 'step "h".http.headers.Authorization', line: 1, column: 8 });
    const raw = planHttpHeader('{{ raw h }}', 'h');
    expect(() => renderHttpHeader(raw, ['a\nb'])).toThrow(FlowdeckError);
    expect(() => insertHeaderValue('a\0')).toThrow(InsertionError);
  });
});
