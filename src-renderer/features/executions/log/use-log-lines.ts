import { useEffect, useState } from 'react';
import { bridge } from '../../../bridge';
import { errorText } from '../../../format/error';
import { LineBuffer } from './line-buffer';

/**
 * Chunks per `executions/log` page: a small first page so the view shows lines at once, then the
 * most the contract allows (main also caps a page at a few MB), so big logs take few trips.
 */
const FIRST_PAGE_LIMIT = 16;
const PAGE_LIMIT = 10_000;
/** While the step run may still write, check for more this often even without events. */
const POLL_MS = 2_000;

export interface LogLines {
  buffer: LineBuffer;
  /** Changes whenever lines were added (at most once per frame). */
  version: number;
  /** Still fetching the pages that existed when the view opened. */
  catchingUp: boolean;
  /** The server said the log is complete (the step run ended and every chunk was read). */
  done: boolean;
  error: string | null;
}

/**
 * One step run's log as lines: fetched page after page (the view shows the first page at once
 * and grows as the rest arrives), then kept current. A `log/appended` event for this step run
 * only says "there is more": the view fetches from the last chunk id it has, so a chunk is never
 * shown twice or lost, whatever the order of events and answers.
 */
export function useLogLines(stepRunId: number): LogLines {
  const [state, setState] = useState<LogLines>(() => ({ buffer: new LineBuffer(), version: 0, catchingUp: true, done: false, error: null }));

  useEffect(() => {
    const buffer = new LineBuffer();
    let alive = true;
    let after = 0;
    let limit = FIRST_PAGE_LIMIT;
    let inFlight = false;
    let again = false;
    let done = false;
    let catchingUp = true;
    let frame = 0;
    let version = 0;

    const publish = (patch: Partial<LogLines> = {}): void => {
      if (!alive) return;
      if (Object.keys(patch).length > 0) {
        setState((s) => ({ ...s, buffer, ...patch, version }));
        return;
      }
      if (frame !== 0) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        if (alive) setState((s) => ({ ...s, buffer, version }));
      });
    };

    const pump = async (): Promise<void> => {
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      try {
        // The next page is asked for before this one is split into lines, so the server reads
        // while the page draws.
        let next = bridge.invoke('executions/log', { stepRunId, after, limit });
        for (;;) {
          again = false;
          const r = await next;
          limit = PAGE_LIMIT;
          if (!alive) return;
          if (!r.ok) {
            publish({ error: errorText(r.error), catchingUp: false });
            return;
          }
          const page = r.value;
          after = page.last;
          done = page.done;
          const more = page.chunks.length > 0 && !page.done;
          if (more) next = bridge.invoke('executions/log', { stepRunId, after, limit });
          for (const c of page.chunks) buffer.append(c.data, c.stream, c.ts);
          if (page.chunks.length > 0) {
            version++;
            publish();
          }
          if (more) continue;
          if (!again) break;
          next = bridge.invoke('executions/log', { stepRunId, after, limit });
        }
        if (catchingUp || done) {
          catchingUp = false;
          publish({ catchingUp: false, done, error: null });
        }
      } finally {
        inFlight = false;
      }
    };

    setState({ buffer, version: 0, catchingUp: true, done: false, error: null });
    void pump();
    const off = bridge.on('log/appended', (p) => {
      if (p.stepRunId === stepRunId && !done) void pump();
    });
    const poll = setInterval(() => {
      if (!done) void pump();
    }, POLL_MS);

    return () => {
      alive = false;
      off();
      clearInterval(poll);
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, [stepRunId]);

  return state;
}
