import { useState } from 'react';

/**
 * The text of a form field that edits a value held elsewhere (the flow document). The field keeps
 * what the operator typed, even while it does not parse ("2.", "abc") or while it reads back in
 * another spelling ("1.50" is 1.5); it takes the outside value only when that value really
 * changed to something the typed text does not stand for (an edit in the YAML tab, an undo).
 */
export function useSyncedText(external: string, standsFor: (text: string, external: string) => boolean): [string, (text: string) => void] {
  const [text, setText] = useState(external);
  const [seen, setSeen] = useState(external);
  if (seen !== external) {
    // Adjusting state while rendering (React's documented pattern for "state from a changed prop").
    setSeen(external);
    if (!standsFor(text, external)) setText(external);
  }
  return [text, setText];
}
