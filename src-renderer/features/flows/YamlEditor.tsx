import { yaml } from '@codemirror/lang-yaml';
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import type { ProblemAt } from '../../../src-shared/ipc/contract';
import { codeEditorBasics } from '../../ui/code-editor/code-editor-basics';
import { setProblem } from '../../ui/code-editor/problem-marker';
import { differingSpan } from '../../ui/code-editor/differing-span';
import codeEditorCss from '../../ui/code-editor/code-editor.module.css';

interface Props {
  value: string;
  onChange: (text: string) => void;
  problem: ProblemAt | null;
  testId?: string;
  label?: string;
}

/**
 * A CodeMirror 6 YAML editor kept in step with `value`: typing calls `onChange`; a new `value`
 * from outside (the visual view rewrote the document, another flow was opened) replaces the text.
 */
export function YamlEditor({ value, onChange, problem, testId, label }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const callbacks = useRef({ onChange });
  useEffect(() => {
    callbacks.current = { onChange };
  }, [onChange]);

  useEffect(() => {
    const parent = host.current;
    if (!parent) return;
    const v = new EditorView({
      parent,
      state: EditorState.create({
        doc: value,
        extensions: [
          ...codeEditorBasics,
          yaml(),
          EditorView.contentAttributes.of({ 'aria-label': label ?? 'YAML editor' }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) callbacks.current.onChange(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The editor is created once; later values arrive through the effect below.
  }, []);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const current = v.state.doc.toString();
    if (current === value) return;
    // Only the span that differs (e.g. the saved, re-serialised text after Save) is replaced.
    v.dispatch({ changes: differingSpan(current, value) });
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: setProblem.of(problem) });
  }, [problem]);

  return <div ref={host} className={codeEditorCss.codeEditor} data-testid={testId} />;
}
