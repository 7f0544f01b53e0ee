import { memo, type ReactNode } from 'react';
import { parseAnsi, sgrClasses, type SgrState } from './ansi';
import { matchRanges } from './search';
import './ansi.css';

/** What a terminal would show for a line with carriage returns (progress bars): the last rewrite. */
function visible(line: string): string {
  const cr = line.lastIndexOf('\r');
  return cr === -1 ? line : line.slice(cr + 1);
}

/**
 * One log line: ANSI colours as spans with classes, search hits as <mark>. Text goes in as
 * React text nodes, never as HTML.
 */
export const LogLineText = memo(function LogLineText({ line, start, query }: { line: string; start: SgrState; query: string }) {
  const { segments } = parseAnsi(visible(line), start);
  if (segments.length === 0) return <span> </span>;
  const plain = segments.map((s) => s.text).join('');
  const hits = query ? matchRanges(plain, query) : [];
  const out: ReactNode[] = [];
  let offset = 0;
  let h = 0;
  segments.forEach((seg, i) => {
    const cls = sgrClasses(seg) || undefined;
    const segStart = offset;
    const segEnd = offset + seg.text.length;
    offset = segEnd;
    if (hits.length === 0) {
      out.push(
        <span key={i} className={cls}>
          {seg.text}
        </span>,
      );
      return;
    }
    // Split the segment at hit boundaries.
    const parts: ReactNode[] = [];
    let pos = segStart;
    while (pos < segEnd) {
      while (h < hits.length && (hits[h] as [number, number])[1] <= pos) h++;
      const hit = hits[h];
      if (hit && hit[0] <= pos) {
        const end = Math.min(segEnd, hit[1]);
        parts.push(<mark key={pos}>{seg.text.slice(pos - segStart, end - segStart)}</mark>);
        pos = end;
      } else {
        const end = Math.min(segEnd, hit ? hit[0] : segEnd);
        parts.push(seg.text.slice(pos - segStart, end - segStart));
        pos = end;
      }
    }
    out.push(
      <span key={i} className={cls}>
        {parts}
      </span>,
    );
  });
  return <>{out}</>;
});
