import { describe, expect, it } from 'vitest';
import { FlowdeckError } from '../../src-shared/errors';
import { randomStrings, seededRandom } from '../../test/support/nasty-values';
import { isPosixShellInterpreter, planShellTemplate, type ShellContext } from './shell-context';

/** Each slot's context in short: `bare`, `double`, ..., or `refused:<the reason>`. */
function contexts(template: string): string[] {
  return planShellTemplate(template, 'run').slots.map((slot) => short(slot.context));
}

/** The contexts, with a refusal shortened to the start the expectation gives. */
function contextsLike(template: string, expected: readonly string[]): string[] {
  return contexts(template).map((actual, index) => {
    const want = expected[index] ?? '';
    return want.startsWith('refused:') && actual.startsWith(want) ? want : actual;
  });
}

function short(context: ShellContext): string {
  if (context.kind === 'refused') return `refused:${context.reason}`;
  let text: string = context.kind;
  if (context.backticks) text += '+backticks';
  if (context.kind === 'bare' && context.beforeRedirect) text += '+redirect';
  if (context.heredocs.length > 0) text += `+heredoc(${context.heredocs.map((h) => h.delimiter + (h.stripTabs ? '-' : '')).join(',')})`;
  return text;
}

const BACKSLASH = 'refused:a `\\` right before `{{`';
const DOLLAR = 'refused:a `$` right before `{{`';
const DELIMITER = 'refused:a here-document delimi';
const QUOTED_HEREDOC = 'refused:nothing in a value can b';

describe('shell contexts', () => {
  const table: Array<[string, string[]]> = [
    // quotes
    ['echo {{a}}', ['bare']],
    ['echo "{{a}}"', ['double']],
    ["echo '{{a}}'", ['single']],
    ['echo --dir={{a}}', ['bare']],
    ['echo "{{a}}{{b}}" {{c}}{{d}}', ['double', 'double', 'bare', 'bare']],
    ['echo "a {{a}} b" \'c {{b}}\' d{{c}}', ['double', 'single', 'bare']],
    ['echo \\"{{a}}', ['bare']],
    ["echo \\'{{a}}", ['bare']],
    ['echo "a\\"{{a}}"', ['double']],
    ['echo "\\\\"{{a}}', ['bare']],
    ["echo 'a\\'{{a}}", ['bare']],
    ["echo $'a\\'{{a}}'", ['ansi-c']],
    ['echo $"{{a}}"', ['double']],
    ['echo "a\n{{a}}"', ['double']],
    ["echo 'a\n{{a}}' {{b}}", ['single', 'bare']],
    // backslashes and dollars right before a slot
    ['echo \\{{a}}', [BACKSLASH]],
    ['echo "\\{{a}}"', [BACKSLASH]],
    ["echo '\\{{a}}'", ['single']],
    ["echo $'\\{{a}}'", [BACKSLASH]],
    ['echo ${{a}}', [DOLLAR]],
    ['echo "${{a}}"', [DOLLAR]],
    ['echo \\${{a}}', ['bare']],
    ["echo '$'{{a}}", ['bare']],
    ['echo a \\\n{{a}}', ['bare']],
    // comments
    ['echo a#{{a}}', ['bare']],
    ['echo # {{a}}', ['comment']],
    ['echo x;#{{a}}', ['comment']],
    ['echo ${#}{{a}} $#{{b}}', ['bare', 'bare']],
    ['echo "#{{a}}"', ['double']],
    ['echo x # c\necho {{a}}', ['bare']],
    ['echo x # "\necho {{a}}', ['bare']],
    // command substitution restarts quoting
    ['echo "$(echo {{a}})"', ['bare']],
    ['echo "$(echo "{{a}}")"', ['double']],
    ['echo "$(echo \'{{a}}\')"', ['single']],
    ["echo '$(echo {{a}})'", ['single']],
    ['echo "$(echo ")" {{a}})" "{{b}}"', ['bare', 'double']],
    ['echo $({{a}})', ['bare']],
    ['echo "$({{a}})"', ['bare']],
    ['x=$(case $y in a) echo {{a}};; esac) "{{b}}"', ['bare', 'double']],
    ['x=$(case $y in (a) echo {{a}};; (b) echo;; esac) "{{b}}"', ['bare', 'double']],
    ['case {{a}} in a) echo "{{b}}";; esac', ['bare', 'double']],
    ["x=$(echo ')' {{a}}) '{{b}}'", ['bare', 'single']],
    ['echo <(echo {{a}}) "{{b}}"', ['bare', 'double']],
    ['echo $( (echo {{a}}) ) "{{b}}"', ['bare', 'double']],
    ['x=$(echo a # )\n{{a}}) "{{b}}"', ['bare', 'double']],
    // backticks
    ['echo `echo {{a}}`', ['bare+backticks']],
    ['echo "`echo {{a}}`" {{b}}', ['bare+backticks', 'bare']],
    ['echo `echo "{{a}}"`', ['double+backticks']],
    ['echo "`echo "{{a}}"`"', ['refused:bash misreads `"..."` ne']],
    ["echo `echo '{{a}}'`", ['single+backticks']],
    ['echo `echo \\`echo {{a}}\\``', ['refused:backticks inside backtic']],
    ['echo `echo \\\\{{a}}`', [BACKSLASH]],
    ['echo `echo \\${{a}}`', [DOLLAR]],
    ['echo `echo \\$(echo {{a}})`', ['bare+backticks']],
    // parameter expansion
    ['echo ${x:-{{a}}}', ['bare']],
    ['echo ${x#{{a}}} ${x%%{{b}}}', ['bare', 'bare']],
    ['echo "${x:-{{a}}}" "${x-{{b}}}" "${x:={{c}}}"', ['param-double', 'param-double', 'param-double']],
    ['echo "${x#{{a}}}" "${x%%{{b}}}"', ['param-pattern', 'param-pattern']],
    ['echo "${x:-"{{a}}"}"', ['refused:bash\'s brace expansion ']],
    ['echo "${x#\'{{a}}\'}"', ['single']],
    ['echo "${x:-\'{{a}}\'}"', ['param-double']],
    ['echo "${x:-${y:-{{a}}}}"', ['param-double']],
    ['echo ${#{{a}}} ${x{{b}}}', ['refused:the name of a variable', 'refused:the name of a variable']],
    ['echo ${x:{{a}}} "${x[1]{{b}}}"', ['refused:the operator of a `${', 'refused:the operator of a `${']],
    ['echo "${x/{{a}}/b}"', ['refused:inside double quotes (o']],
    ['echo ${x/{{a}}/b}', ['bare']],
    ['echo ${x: {{a}}:2} "${x:1:{{b}}}"', ['arithmetic', 'arithmetic']],
    ['echo ${arr[{{a}}]} "${arr[{{b}}]:-{{c}}}"', ['arithmetic', 'arithmetic', 'param-double']],
    ['echo ${x:-a}{{a}} "${x:-}"{{b}}', ['bare', 'bare']],
    ['echo ${x:-{a}b}{{a}}', ['bare']],
    // arithmetic
    ['echo $(( {{a}} + 1 ))', ['arithmetic']],
    ['echo $(( ({{a}}) * 2 )) {{b}}', ['arithmetic', 'bare']],
    ['(( x = {{a}} )); echo "{{b}}"', ['arithmetic', 'double']],
    ['echo $(( "{{a}}" ))', ['double']],
    // redirections
    ['echo {{a}}>f', ['bare+redirect']],
    ['echo {{a}} >f', ['bare']],
    ['echo {{a}}{{b}}<f', ['bare+redirect', 'bare+redirect']],
    ['cat <{{a}} >{{b}} 2>&{{c}}', ['bare', 'bare', 'bare']],
    ['cat <<<{{a}}', ['bare']],
    // here-documents
    ['cat <<EOF\n{{a}}\nEOF\necho {{b}}', ['heredoc+heredoc(EOF)', 'bare']],
    ["cat <<'EOF'\n{{a}}\nEOF\necho {{b}}", [QUOTED_HEREDOC, 'bare']],
    ['cat <<"EOF"\n{{a}}\nEOF\necho {{b}}', [QUOTED_HEREDOC, 'bare']],
    ['cat <<\\EOF\n{{a}}\nEOF\necho {{b}}', [QUOTED_HEREDOC, 'bare']],
    ['cat <<E"O"F\n{{a}}\nEOF\necho {{b}}', [QUOTED_HEREDOC, 'bare']],
    ['cat <<-EOF\n\t{{a}}\n\tEOF\necho {{b}}', ['heredoc+heredoc(EOF-)', 'bare']],
    ['cat <<EOF; echo "{{a}}"\n{{b}}\nEOF', ['double', 'heredoc+heredoc(EOF)']],
    ['cat <<A <<B\n{{a}}\nA\n{{b}}\nB\n{{c}}', ['heredoc+heredoc(A)', 'heredoc+heredoc(B)', 'bare']],
    ['cat <<EOF\n$(echo {{a}})\n"{{b}}"\nEOF', ['bare+heredoc(EOF)', 'heredoc+heredoc(EOF)']],
    ['cat <<EOF\n${x:-{{a}}} ${x#{{b}}}\nEOF', ['param-double+heredoc(EOF)', 'param-pattern+heredoc(EOF)']],
    ['cat << {{a}}', [DELIMITER]],
    ['cat <<{{a}}', [DELIMITER]],
    ['cat <<EOF\n\\\nEOF\n{{a}}\nEOF', ['bare']],
    ['cat <<EOF\n\\\\\nEOF\n{{a}}', ['bare']],
    ["cat <<'EOF'\n$(\nEOF\necho {{a}}", ['bare']],
    ['cat <<EOF "a\nb"\n{{a}}\nEOF\n{{b}}', ['heredoc+heredoc(EOF)', 'bare']],
    ['x=$(cat <<EOF\n{{a}}\nEOF\n) "{{b}}"', ['heredoc+heredoc(EOF)', 'double']],
    ['cat <<EOF\nEOF{{a}}\nEOF', ['refused:this line of the here-do']],
    ['cat <<$X\n{{a}}\n$X', ['refused:a here-document whose del']],
    ['echo `cat <<EOF\n{{a}}\nEOF\n`', ['refused:a here-document inside ']],
    ['cat <<EOF\n`echo {{a}}`\nEOF', ['bare+backticks+heredoc(EOF)']],
    ['cat <<EOF\n$(echo # {{a}}\n)\nEOF', ['refused:a `#` comment inside `$(']],
    ['cat <<EOF\n$(echo a\nEOF\n)\n{{a}}', ['refused:dash and bash read the te']],
  ];
  for (const [template, expected] of table) {
    it(JSON.stringify(template), () => {
      expect(contextsLike(template, expected)).toEqual(expected);
    });
  }

  it('reports a refused slot as a problem with its line and column', () => {
    const plan = planShellTemplate("echo ok\ncat <<'EOF'\n  {{ element.id }}\nEOF", 'step "a".run');
    expect(plan.problems).toEqual([expect.objectContaining({ line: 3, column: 3, offset: 22, afterRaw: false })]);
    expect(plan.problems[0]?.message).toContain("quoted here-document (`<<'EOF'`)");
  });

  it('counts a raw slot as text it cannot see, and marks the problems after it', () => {
    const plan = planShellTemplate('{{ raw pre }} echo "{{ x }}" \\{{ y }}', 'run');
    expect(plan.slots.map((slot) => [slot.raw, slot.code])).toEqual([
      [true, 'pre '],
      [false, ' x '],
      [false, ' y '],
    ]);
    expect(plan.slots.map((slot) => slot.context.kind)).toEqual(['bare', 'double', 'refused']);
    expect(plan.problems.map((problem) => problem.afterRaw)).toEqual([true]);
  });

  it('reports empty slots and refuses an unclosed one', () => {
    expect(planShellTemplate('echo {{ }} {{x}}', 'run').problems.map((p) => [p.column, p.message])).toEqual([[6, 'empty `{{ }}`: put an expression between the braces']]);
    expect(() => planShellTemplate('echo {{ x', 'run')).toThrow(FlowdeckError);
  });

  it('marks a whole shq call', () => {
    const plan = planShellTemplate('rm {{ shq(files) }} {{ shq(a) + shq(b) }} {{ x }}', 'run');
    expect(plan.slots.map((slot) => slot.shq)).toEqual([true, false, false]);
  });

  it('refuses every slot once the nesting is deeper than it follows', () => {
    const deep = `${'"$('.repeat(40)}{{ a }}${')"'.repeat(40)} {{ b }}`;
    expect(contextsLike(deep, ['refused:the command nests', 'refused:the command nests'])).toEqual(['refused:the command nests', 'refused:the command nests']);
  });

  it('never throws on random shell text and stays linear on a large input', () => {
    const random = seededRandom(7);
    const pieces = randomStrings(11, 400);
    for (let round = 0; round < 300; round += 1) {
      let template = '';
      for (let i = 0; i < 12; i += 1) {
        template += pieces[Math.floor(random() * pieces.length)]?.replaceAll('{', '(').replaceAll('}', ')') ?? '';
        if (random() < 0.4) template += '{{ x }}';
      }
      const plan = planShellTemplate(template, 'run');
      expect(plan.slots.length).toBe(template.split('{{ x }}').length - 1);
    }
    // Two hundred thousand characters of nesting, quotes and here-documents.
    const big = 'cat <<EOF\n$(echo "a\'b`c`" ${x:-y} $((1+2)) # c\n)\nEOF\n{{ x }} "{{ y }}"\n'.repeat(2_500);
    const plan = planShellTemplate(big, 'run');
    expect(plan.slots).toHaveLength(5_000);
    expect(plan.problems).toEqual([]);
    // Twenty thousand refused slots on as many lines: each problem's line is found without rescanning.
    const refused = planShellTemplate('echo \\{{ x }}\n'.repeat(20_000), 'run');
    expect(refused.problems).toHaveLength(20_000);
    expect(refused.problems[19_999]).toMatchObject({ line: 20_000, column: 7 });
  });
});

describe('isPosixShellInterpreter', () => {
  it('knows sh-family interpreters however they are written', () => {
    for (const yes of ['/bin/sh', 'sh', 'bash -e', '/usr/bin/env bash', 'env -i FOO=1 dash', 'busybox sh', 'zsh', '/usr/local/bin/ksh -x']) {
      expect(isPosixShellInterpreter(yes)).toBe(true);
    }
    for (const no of ['python3', '/usr/bin/env python3', 'node', 'perl -e', 'fish', 'pwsh', '']) {
      expect(isPosixShellInterpreter(no)).toBe(false);
    }
  });
});
