import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, indentOnInput } from '@codemirror/language';
import { EditorState, type Extension } from '@codemirror/state';
import { drawSelection, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars, keymap, lineNumbers } from '@codemirror/view';
import { themedHighlighting } from './highlight';
import { problemMarker } from './problem-marker';

/**
 * What every code editor of the console has (the flow YAML, the processing script): line
 * numbers with the problem marker, history, the shared highlighting, two-space tabs and the
 * usual keys. Each editor adds its language and its own listeners.
 */
export const codeEditorBasics: Extension[] = [
  lineNumbers(),
  problemMarker,
  highlightActiveLineGutter(),
  highlightSpecialChars(),
  history(),
  drawSelection(),
  indentOnInput(),
  bracketMatching(),
  highlightActiveLine(),
  themedHighlighting,
  EditorState.tabSize.of(2),
  keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
];
