import { StringStream } from '@codemirror/language';
import { describe, expect, it } from 'vitest';
import { jsToken, type JsState } from './js-stream';

/** Each line's tokens as `style:text`, whitespace and unstyled characters left out. */
function tokens(lines: string[]): string[] {
  const state: JsState = { inside: null };
  const out: string[] = [];
  for (const line of lines) {
    const stream = new StringStream(line, 2, 2);
    while (!stream.eol()) {
      const style = jsToken(stream, state);
      if (style) out.push(`${style}:${stream.current()}`);
      stream.start = stream.pos;
    }
  }
  return out;
}

describe('the processing script tokenizer', () => {
  it('colours the sandbox names, keywords, strings, numbers and comments', () => {
    expect(tokens(["const r = order_flow_elements(elements, x => x.context.rank === 'master' ? 1 : 0); // masters last"])).toEqual([
      'keyword:const',
      'variableName:r',
      'operator:=',
      'variableName.special:order_flow_elements',
      'variableName.special:elements',
      'variableName:x',
      'operator:=>',
      'variableName:x',
      'variableName:context',
      'variableName:rank',
      'operator:===',
      "string:'master'",
      'operator:?',
      'number:1',
      'operator::',
      'number:0',
      'comment:// masters last',
    ]);
  });

  it('carries block comments and template literals over line ends, and honours escapes', () => {
    expect(tokens(['/* a', 'b */ true', '`x', '${y}` "a\\"b"'])).toEqual(['comment:/* a', 'comment:b */', 'atom:true', 'string:`x', 'string:${y}`', 'string:"a\\"b"']);
  });
});
