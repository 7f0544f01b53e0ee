import { Annotation, Compartment, EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import type { ProblemAt } from '../../../src-shared/ipc/contract';
import { processingOfScript, scriptOfProcessing } from './flow-yaml';
import { codeEditorBasics } from '../../ui/code-editor/code-editor-basics';
import { processingLanguage } from './js-stream';
import { setProblem } from '../../ui/code-editor/problem-marker';
import { differingSpan } from '../../ui/code-editor/differing-span';
import { cx } from '../../ui/class-names';
import codeEditorCss from '../../ui/code-editor/code-editor.module.css';
import flowSettingsCss from './flow-settings.module.css';

/** Marks the editor's own updates from `value`, so they are not written back as the operator's edits. */
const fromOutside = Annotation.define<boolean>();

interface Props {
  /** The document's `processing` value. */
  value: string;
  /** The script as typed; the caller writes it into the document. */
  onChange: (script: string) => void;
  /** A problem already placed in the script's own lines (see editor/script-problem.ts). */
  problem: ProblemAt | null;
  readOnly: boolean;
}

/**
 * The processing script in its own CodeMirror editor, bound to the document's `processing` key:
 * typing calls `onChange`; a new value from elsewhere (the YAML tab, another flow) replaces the
 * text, unless it is what this editor's text already stands for (a trailing blank line typed
 * here must not be taken back because the document stores the script without it).
 */
export function ProcessingEditor({ value, onChange, problem, readOnly }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const editable = useRef(new Compartment());
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
        doc: scriptOfProcessing(value),
        extensions: [
          ...codeEditorBasics,
          processingLanguage,
          editable.current.of([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]),
          EditorView.contentAttributes.of({ 'aria-label': 'Processing script (JavaScript)' }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged && !u.transactions.some((t) => t.annotation(fromOutside))) callbacks.current.onChange(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The editor is created once; later values arrive through the effects below.
  }, []);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const current = v.state.doc.toString();
    const next = scriptOfProcessing(value);
    if (current === next || processingOfScript(current) === value) return;
    v.dispatch({ changes: differingSpan(current, next), annotations: fromOutside.of(true) });
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: editable.current.reconfigure([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]) });
  }, [readOnly]);

  useEffect(() => {
    view.current?.dispatch({ effects: setProblem.of(problem) });
  }, [problem]);

  return <div ref={host} className={cx(codeEditorCss.codeEditor, flowSettingsCss.processingEditor)} data-testid="processing-editor" data-readonly={readOnly ? 'true' : undefined} />;
}
