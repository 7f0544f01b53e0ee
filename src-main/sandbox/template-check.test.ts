import { describe, expect, it } from 'vitest';
import { checkTemplate, problemLine, rawUseLine } from './template-check';

describe('checkTemplate', () => {
  it('lists every raw insertion with its line and column', () => {
    const text = 'echo start\nsh -c {{ raw cmd }} && {{raw\n  flags}} {{ rawValue }} {{ raw }}';
    const check = checkTemplate(text, 'shell');
    expect(check.problems).toEqual([]);
    expect(check.raws).toEqual([
      { line: 2, column: 7, offset: 17, source: '{{ raw cmd }}' },
      { line: 2, column: 24, offset: 34, source: '{{raw\n  flags}}' },
    ]);
    expect(check.raws.map((raw) => rawUseLine('steps[2].run', raw))).toEqual([
      'raw insertion at steps[2].run:2:7: {{ raw cmd }}',
      'raw insertion at steps[2].run:2:24: {{raw flags}}',
    ]);
  });

  it('reports an unclosed slot without throwing', () => {
    const check = checkTemplate('echo ok\necho {{ element.id', 'shell');
    expect(check.raws).toEqual([]);
    expect(check.problems.map((problem) => problemLine('steps[0].run', problem))).toEqual(['steps[0].run:2:6: this `{{` has no closing `}}`']);
    expect(check.problems[0]?.offset).toBe(13);
  });

  it('reports empty slots and slots that cannot be escaped, in text order', () => {
    const check = checkTemplate("cat <<'EOF'\n{{ x }}\nEOF\necho {{ }} \\{{ y }}", 'shell');
    expect(check.problems.map((problem) => [problem.line, problem.column, problem.message.slice(0, 30)])).toEqual([
      [2, 1, 'nothing in a value can be esca'],
      [4, 6, 'empty `{{ }}`: put an expressi'],
      [4, 13, 'a `\\` right before `{{` would '],
    ]);
  });

  it('marks a problem that depends on an earlier raw value', () => {
    const check = checkTemplate('{{ raw open }} \\{{ y }}', 'shell');
    expect(check.problems.map((problem) => problemLine('run', problem))).toEqual([
      'run:1:17: a `\\` right before `{{` would escape the first character of the value; remove the backslash or put the `{{ }}` inside quotes (unless the `{{ raw }}` before it changes the quoting)',
    ]);
  });

  it('checks URLs, bodies, headers and plain text by their own rules', () => {
    expect(checkTemplate('http{{ s }}://h/', 'url').problems.map((problem) => problem.column)).toEqual([5]);
    expect(checkTemplate('{"a": "\\{{ x }}"}', 'body', { contentType: 'application/json' }).problems).toHaveLength(1);
    expect(checkTemplate('\\{{ x }}', 'body', { contentType: 'text/plain' }).problems).toEqual([]);
    expect(checkTemplate('Bearer {{ raw t }}', 'header').raws.map((raw) => raw.source)).toEqual(['{{ raw t }}']);
    expect(checkTemplate("cat <<'EOF'\n{{ x }} {{ raw y }}", 'text')).toEqual({ raws: [{ line: 2, column: 9, offset: 20, source: '{{ raw y }}' }], problems: [] });
  });
});
