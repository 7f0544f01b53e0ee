import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src-shared/domain/inventory';
import { nastyValues } from '../../test/support/nasty-values';
import { planShellTemplate, type ShellContext } from './shell-context';
import { insertShellValue, rawShellText, renderShellTemplate } from './shell-escape';
import { InsertionError } from './template-values';
import { failure } from './test-support';

function render(template: string, ...values: JsonValue[]): string {
  const plan = planShellTemplate(template, 'step "s".run');
  return renderShellTemplate(
    plan,
    plan.slots.map((_, index) => (index < values.length ? values[index] : values[0]) as JsonValue),
  );
}


const plain = (kind: Exclude<ShellContext['kind'], 'refused'>): ShellContext => ({ kind, beforeRedirect: false, backticks: false, heredocs: [] });

describe('insertShellValue', () => {
  const table: Array<[string, JsonValue, string]> = [
    ['echo {{ x }}', "it's", "echo 'it'\\''s'"],
    ['echo {{ x }}', '', "echo ''"],
    ['echo {{ x }}', '$(id)', "echo '$(id)'"],
    ['echo {{ x }}', 'a\nb', "echo 'a\nb'"],
    ['kill {{ x }}', 42, 'kill 42'],
    ['echo {{ x }}', -1.5, 'echo -1.5'],
    ['test {{ x }}', true, 'test true'],
    ['echo {{ x }}', '42', "echo '42'"],
    ['echo {{ x }}', ['a b', "c'd"], `echo '["a b","c'\\''d"]'`],
    ['echo {{ x }}', { a: '$x' }, `echo '{"a":"$x"}'`],
    ['echo {{ x }}>f', 2, "echo '2'>f"],
    ['echo --dir={{ x }}', 'a b', "echo --dir='a b'"],
    ['echo "{{ x }}"', 'a"$b`c\\d\'e!', 'echo "a\\"\\$b\\`c\\\\d\'e!"'],
    ['echo "{{ x }}{{ x }}"', '$', 'echo "\\$\\$"'],
    ["echo '{{ x }}'", "it's", "echo 'it'\\''s'"],
    ["echo 'pre {{ x }} post'", "'", "echo 'pre '\\'' post'"],
    ["echo $'{{ x }}'", "a'b\\c", "echo $'a\\047b\\\\c'"],
    ['echo # {{ x }}', 'a\nrm -rf /', 'echo # a rm -rf /'],
    ['echo $(( {{ x }} + 1 ))', 5, 'echo $(( 5 + 1 ))'],
    ['echo $(( {{ x }} + 1 ))', '-7', 'echo $(( -7 + 1 ))'],
    ['echo "${u:-{{ x }}}"', "a}b'c{d(e", `echo "\${u:-a\\}b"'"c"{"d"("e}"`],
    ['echo "${u#{{ x }}}"', 'a*b c.é', 'echo "${u#a\\*b\\ c\\.é}"'],
    ['echo ${u:-{{ x }}}', 'a}b', "echo ${u:-'a}b'}"],
    ['echo `echo {{ x }}`', "a`b$c\\d'", "echo `echo 'a\\`b\\$c\\\\d'\\\\'''`"],
    ['echo `echo "{{ x }}"`', 'a"b', 'echo `echo "a\\\\"b"`'],
    ['cat <<EOF\n{{ x }}\nEOF', 'a$b`c\\d"e', 'cat <<EOF\na\\$b\\`c\\\\d"e\nEOF'],
    ['cat <<EOF\n{{ x }}\nEOF', 'a\nEOF\nrm -rf /', 'cat <<EOF\na\n${IFS:+}EOF\nrm -rf /\nEOF'],
    ['cat <<EOF\n{{ x }}\nEOF', 'EOF', 'cat <<EOF\n${IFS:+}EOF\nEOF'],
    ['cat <<EOF\n{{ x }}\nEOF', '', 'cat <<EOF\n${IFS:+}\nEOF'],
    ['cat <<EOF\n{{ x }}\nEOF', 'hello\nworld', 'cat <<EOF\nhello\nworld\nEOF'],
    ['cat <<EOF\nE{{ x }}\nEOF', 'OF', 'cat <<EOF\nE${IFS:+}OF\nEOF'],
    ['cat <<EOF\nx{{ x }}\nEOF', 'EOF', 'cat <<EOF\nxEOF\nEOF'],
    ['cat <<EOF\n{{ x }}\nEOF', 'EOF) rm', 'cat <<EOF\n${IFS:+}EOF) rm\nEOF'],
    ['cat <<EOF\nE{{ x }}\nEOF', 'é', 'cat <<EOF\nE${IFS:+}é\nEOF'],
    ['cat <<-EOF\n{{ x }}\nEOF', '\tindented\n\tEOF', 'cat <<-EOF\n${IFS:+}\tindented\n${IFS:+}\tEOF\nEOF'],
    ['cat <<EOF\n$(echo {{ x }})\nEOF', 'a\nEOF\nb', "cat <<EOF\n$(echo 'a\n''EOF\nb')\nEOF"],
    ['cat <<EOF\n$(echo {{ x }})\nEOF', 'a\\\nb', "cat <<EOF\n$(echo 'a\\''\nb')\nEOF"],
    ['cat <<EOF\n$(echo "{{ x }}")\nEOF', 'EOF', 'cat <<EOF\n$(echo "EOF")\nEOF'],
    ['cat <<EOF\n$(echo "\n{{ x }}")\nEOF', 'EOF', 'cat <<EOF\n$(echo "\n""EOF")\nEOF'],
  ];
  for (const [template, value, expected] of table) {
    it(`${JSON.stringify(template)} with ${JSON.stringify(value)}`, () => {
      expect(render(template, value)).toBe(expected);
    });
  }

  it('keeps a whole shq call as the words it wrote, only in a bare word', () => {
    expect(render('rm {{ shq(x) }}', "'a b' 'c'\\''d'")).toBe("rm 'a b' 'c'\\''d'");
    expect(render('kill {{ shq(x) }}', '42')).toBe('kill 42');
    expect(render('echo {{ shq(x) }}>f', '2')).toBe("echo 2''>f");
    expect(render('echo "{{ shq(x) }}"', "'a'")).toBe('echo "\'a\'"');
    // Text that is not what shq writes is quoted like any other value.
    expect(render('rm {{ shq(x) }}', 'a; rm -rf /')).toBe("rm 'a; rm -rf /'");
    expect(render('rm {{ shq(x) }}', "'a' $(id)")).toBe("rm ''\\''a'\\'' $(id)'");
  });

  it('refuses NUL, null and non-numbers in arithmetic', () => {
    expect(failure(() => render('echo {{ x }}', 'a\0b')).message).toBe(
      '`{{ x }}`: the value contains a NUL character, which no shell command can carry',
    );
    expect(failure(() => render('echo {{ x }}', null)).message).toBe('`{{ x }}`: the value is null');
    expect(failure(() => render('echo $(( {{ x }} ))', '1; touch /tmp/x')).message).toBe(
      '`{{ x }}`: only a number can stand in shell arithmetic, not "1; touch /tmp/x"',
    );
    expect(() => insertShellValue('a', { kind: 'refused', reason: 'no' })).toThrow(InsertionError);
    expect(() => rawShellText('a\0')).toThrow(InsertionError);
  });

  it('throws a refused slot at its line and column before anything is inserted', () => {
    const error = failure(() => render("cat <<'EOF'\n  {{ x }}\nEOF", 'a'));
    expect(error.code).toBe('template-error');
    expect(error.location).toEqual({ file: 'step "s".run', line: 2, column: 3 });
    expect(error.message).toContain("quoted here-document (`<<'EOF'`)");
  });

  it('puts a raw value in verbatim and decides the later slots on its text', () => {
    expect(render('{{ raw cmd }} {{ x }}', 'ls -l | head', "a'b")).toBe("ls -l | head 'a'\\''b'");
    // The raw text opens a double quote, so the next slot is escaped for the inside of "...".
    expect(render('{{ raw open }}{{ x }}"', 'echo "', '$(id)')).toBe('echo "\\$(id)"');
    // ...or a quoted here-document, where nothing can be escaped.
    const error = failure(() => render("{{ raw heredoc }}\n{{ x }}\nEOF", "cat <<'EOF'", 'a'));
    expect(error.location).toEqual({ file: 'step "s".run', line: 2, column: 1 });
    expect(error.message).toContain('quoted here-document');
  });

  it('does not throw a problem that depends on a raw value before knowing it', () => {
    // The raw value opens a single quote, where the `\` before `{{` is only a character.
    expect(render('{{ raw a }} echo \\{{ x }}', "'", 'v')).toBe("' echo \\v");
  });

  it('refuses a wrong number of values', () => {
    const plan = planShellTemplate('echo {{ a }} {{ b }}', 'run');
    expect(failure(() => renderShellTemplate(plan, ['x'])).code).toBe('internal');
  });

  it('escapes every nasty value without a NUL in every context', () => {
    const kinds = ['bare', 'double', 'single', 'ansi-c', 'param-double', 'param-pattern', 'heredoc', 'comment'] as const;
    for (const kind of kinds) {
      for (const value of nastyValues) {
        const out = insertShellValue(value, plain(kind));
        if (kind === 'single') expect(out.replaceAll("'\\''", '')).not.toContain("'");
        if (kind === 'ansi-c') expect(out).not.toContain("'");
        if (kind === 'double' || kind === 'heredoc') expect(out).not.toMatch(/(^|[^\\])(\\\\)*[$`]/u);
        if (kind === 'comment') expect(out).not.toContain('\n');
      }
    }
  });
});
