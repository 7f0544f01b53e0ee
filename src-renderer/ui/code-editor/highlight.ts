import { defaultHighlightStyle, HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import type { Extension } from '@codemirror/state';

/**
 * CodeMirror's default highlight style with each colour routed through a token named after it
 * (`--syn-708` for the colour 708, falling back to the colour itself), so theme/tokens.css gives the
 * dark theme readable colours without a second style or another package.
 */
export const themedHighlighting: Extension = syntaxHighlighting(
  HighlightStyle.define(
    defaultHighlightStyle.specs.map((spec) =>
      typeof spec.color === 'string' ? { ...spec, color: `var(--syn-${spec.color.replace('#', '')}, ${spec.color})` } : spec,
    ),
  ),
);
