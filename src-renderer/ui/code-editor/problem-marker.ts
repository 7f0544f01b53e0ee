import { RangeSet, StateEffect, StateField, type EditorState, type Extension } from '@codemirror/state';
import { Decoration, EditorView, GutterMarker, gutter, WidgetType, type DecorationSet } from '@codemirror/view';
import type { ProblemAt } from '../../../src-shared/ipc/contract';

/**
 * Shows one problem in a CodeMirror document: a marker in its own gutter, the line tinted, a
 * wavy underline from the column to the end of the line, and the message right under it.
 * Set with `setProblem` (null clears it).
 */
export const setProblem = StateEffect.define<ProblemAt | null>();

class ProblemGutterMarker extends GutterMarker {
  constructor(private readonly message: string) {
    super();
  }
  override eq(other: GutterMarker): boolean {
    return other instanceof ProblemGutterMarker && other.message === this.message;
  }
  override toDOM(): Node {
    const el = document.createElement('span');
    el.className = 'cm-problem-marker';
    el.textContent = '●';
    el.title = this.message;
    return el;
  }
}

class ProblemMessage extends WidgetType {
  constructor(private readonly text: string) {
    super();
  }
  override eq(other: WidgetType): boolean {
    return other instanceof ProblemMessage && other.text === this.text;
  }
  override toDOM(): HTMLElement {
    const el = document.createElement('div');
    el.className = 'cm-problem-message';
    el.textContent = this.text;
    return el;
  }
}

interface Placed {
  decorations: DecorationSet;
  marker: RangeSet<GutterMarker>;
}

function place(state: EditorState, problem: ProblemAt | null): Placed {
  if (!problem || problem.line === undefined) return { decorations: Decoration.none, marker: RangeSet.empty };
  const lineNo = Math.min(Math.max(1, problem.line), state.doc.lines);
  const line = state.doc.line(lineNo);
  const col = Math.max(1, problem.column ?? 1);
  const from = Math.min(line.from + col - 1, line.to);
  const text = `${problem.line}:${problem.column ?? 1}: ${problem.message}`;
  const ranges = [Decoration.line({ class: 'cm-problem-line' }).range(line.from)];
  if (from < line.to) ranges.push(Decoration.mark({ class: 'cm-problem-range' }).range(from, line.to));
  ranges.push(Decoration.widget({ widget: new ProblemMessage(text), block: true, side: 1 }).range(line.to));
  return {
    decorations: Decoration.set(ranges, true),
    marker: RangeSet.of([new ProblemGutterMarker(text).range(line.from)]),
  };
}

const problemField = StateField.define<{ problem: ProblemAt | null; placed: Placed }>({
  create: () => ({ problem: null, placed: { decorations: Decoration.none, marker: RangeSet.empty } }),
  update(value, tr) {
    let problem = value.problem;
    let changed = false;
    for (const e of tr.effects) {
      if (e.is(setProblem)) {
        problem = e.value;
        changed = true;
      }
    }
    if (changed) return { problem, placed: place(tr.state, problem) };
    if (tr.docChanged && problem) {
      // Keep the marks where the text moved them until the next check answers.
      return {
        problem,
        placed: { decorations: value.placed.decorations.map(tr.changes), marker: value.placed.marker.map(tr.changes) },
      };
    }
    return value;
  },
  provide: (f) => EditorView.decorations.from(f, (v) => v.placed.decorations),
});

export const problemMarker: Extension = [
  problemField,
  gutter({
    class: 'cm-problem-gutter',
    markers: (view) => view.state.field(problemField).placed.marker,
    initialSpacer: () => new ProblemGutterMarker(''),
  }),
];
