import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { flushSync } from 'react-dom';
import { formatClock } from '../../../format/time';
import { LogSearch } from './search';
import { useLogLines } from './use-log-lines';
import { LogLineText } from './LogLine';
import { cx } from '../../../ui/class-names';
import buttonCss from '../../../ui/button.module.css';
import formCss from '../../../ui/form.module.css';
import logCss from './log.module.css';
import textCss from '../../../ui/text.module.css';

const LINE_HEIGHT = 17;
/** Rows drawn above and below the viewport. */
const OVERSCAN = 40;
const SEARCH_DELAY_MS = 200;

function download(parts: string[], name: string): void {
  const url = URL.createObjectURL(new Blob(parts, { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The rows to draw: every row is LINE_HEIGHT high, so the window is arithmetic on the scroll
 * position, O(1) whatever the log's length. (A general virtualiser keeps a measurement object
 * per line and rebuilds them all whenever the count changes: a million objects per frame while
 * a big log streams in.) The scroll position is taken in the scroll event and drawn at once
 * (flushSync), so a frame never shows the list scrolled past the rows it has.
 */
function useRowWindow(scroller: RefObject<HTMLDivElement | null>, count: number) {
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(0);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const onScroll = (): void => flushSync(() => setScrollTop(el.scrollTop));
    const onResize = (): void => setHeight(el.clientHeight);
    onResize();
    setScrollTop(el.scrollTop);
    el.addEventListener('scroll', onScroll, { passive: true });
    const resize = new ResizeObserver(onResize);
    resize.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      resize.disconnect();
    };
  }, [scroller]);

  const first = Math.max(0, Math.min(count, Math.floor(scrollTop / LINE_HEIGHT) - OVERSCAN));
  const end = Math.min(count, Math.ceil((scrollTop + height) / LINE_HEIGHT) + OVERSCAN);

  /** Scrolls so line `i` is at the end or in the middle of the viewport; false when already there. */
  const scrollToLine = useCallback(
    (i: number, align: 'end' | 'center'): boolean => {
      const el = scroller.current;
      if (!el) return false;
      const target = align === 'end' ? (i + 1) * LINE_HEIGHT - el.clientHeight : i * LINE_HEIGHT - (el.clientHeight - LINE_HEIGHT) / 2;
      const before = el.scrollTop;
      el.scrollTop = Math.max(0, target);
      setScrollTop(el.scrollTop);
      return el.scrollTop !== before;
    },
    [scroller],
  );

  return { first, end, totalHeight: count * LINE_HEIGHT, firstVisible: Math.floor(scrollTop / LINE_HEIGHT), scrollToLine };
}

/**
 * One step run's log: a virtualised list of lines (only the visible ones are in the DOM, so a
 * million lines open as fast as a hundred), with ANSI colours, follow (stick to the end while
 * lines arrive), search with next/previous, and download.
 */
export function LogView({ stepRunId, fileName }: { stepRunId: number; fileName: string }) {
  const log = useLogLines(stepRunId);
  const { buffer } = log;
  const count = buffer.length;
  const scroller = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(true);
  const [showTimes, setShowTimes] = useState(false);
  const [queryInput, setQueryInput] = useState('');
  const [query, setQuery] = useState('');
  const [matchIndex, setMatchIndex] = useState(-1);
  const [, setSearchTick] = useState(0);
  const autoScroll = useRef(false);

  const rows = useRowWindow(scroller, count);
  const { scrollToLine } = rows;

  // Follow: after new lines, go to the end (before the frame is drawn). The scroll event that
  // follows is ours, not the reader's: it must not turn follow off.
  useLayoutEffect(() => {
    if (!follow || count === 0) return;
    if (scrollToLine(count - 1, 'end')) autoScroll.current = true;
  }, [follow, count, log.version, scrollToLine]);

  const onScroll = (): void => {
    const el = scroller.current;
    if (!el) return;
    const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < LINE_HEIGHT * 2;
    if (autoScroll.current) {
      autoScroll.current = false;
      return;
    }
    if (atEnd !== follow) setFollow(atEnd);
  };

  // Search: a pause after typing, then scan in slices (the page stays responsive on huge logs).
  useEffect(() => {
    const t = setTimeout(() => setQuery(queryInput), SEARCH_DELAY_MS);
    return () => clearTimeout(t);
  }, [queryInput]);
  const search = useMemo(() => (query ? new LogSearch(buffer, query) : null), [buffer, query]);
  useEffect(() => {
    setMatchIndex(-1);
  }, [search]);
  useEffect(() => {
    if (!search) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const step = (): void => {
      const done = search.scan(150_000);
      setSearchTick((n) => n + 1);
      if (!done) timer = setTimeout(step, 0);
    };
    step();
    return () => {
      if (timer !== null) clearTimeout(timer);
    };
  }, [search, log.version]);

  const matchCount = search ? search.count : 0;
  const currentLine = search && matchIndex >= 0 ? search.at(matchIndex) : undefined;

  const go = (dir: 1 | -1): void => {
    if (!search || search.count === 0) return;
    let next: number;
    if (matchIndex < 0) {
      const first = Math.min(rows.firstVisible, count - 1);
      next = dir === 1 ? search.indexFrom(first) : (search.indexFrom(first) - 1 + search.count) % search.count;
    } else next = (matchIndex + dir + search.count) % search.count;
    setMatchIndex(next);
    const line = search.at(next);
    if (line !== undefined) {
      setFollow(false);
      if (scrollToLine(line, 'center')) autoScroll.current = true;
    }
  };

  const status = log.error ? 'error' : log.catchingUp ? 'loading' : log.done ? 'complete' : 'live';

  return (
    <div className={logCss.log} data-testid="log-view" data-lines={count} data-status={status}>
      <div className={logCss.logToolbar}>
        <label className={formCss.check}>
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} data-testid="log-follow" />
          follow
        </label>
        <label className={formCss.check}>
          <input type="checkbox" checked={showTimes} onChange={(e) => setShowTimes(e.target.checked)} data-testid="log-times" />
          times
        </label>
        <input
          type="search"
          placeholder="search log"
          value={queryInput}
          onChange={(e) => setQueryInput(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              if (queryInput !== query) setQuery(queryInput);
              else go(e.shiftKey ? -1 : 1);
            }
          }}
          aria-label="Search the log (Enter: next, Shift+Enter: previous)"
          data-testid="log-search"
        />
        <button type="button" className={cx(buttonCss.btn, buttonCss.small)} onClick={() => go(-1)} disabled={matchCount === 0} aria-label="Previous match" data-testid="log-search-prev">
          ↑
        </button>
        <button type="button" className={cx(buttonCss.btn, buttonCss.small)} onClick={() => go(1)} disabled={matchCount === 0} aria-label="Next match" data-testid="log-search-next">
          ↓
        </button>
        {search && (
          <span className={textCss.muted} data-testid="log-search-count">
            {matchIndex >= 0 ? `${matchIndex + 1}/` : ''}
            {matchCount.toLocaleString()}
            {matchCount >= LogSearch.MAX_MATCHES ? '+' : ''} {matchCount === 1 ? 'match' : 'matches'}
            {!search.caughtUp ? '…' : ''}
          </span>
        )}
        <span className={textCss.spacer} />
        <span className={textCss.muted} data-testid="log-status">
          {count.toLocaleString()} lines · {status === 'loading' ? 'loading…' : status === 'live' ? 'live' : status}
        </span>
        <button type="button" className={cx(buttonCss.btn, buttonCss.small)} onClick={() => download(buffer.blobParts(), fileName)} disabled={count === 0} data-testid="log-download">
          Download
        </button>
      </div>
      {log.error && <p className={textCss.errorText}>{log.error}</p>}
      <div className={logCss.logScroll} ref={scroller} onScroll={onScroll} tabIndex={0} data-testid="log-lines" aria-label="Log lines">
        {count === 0 && !log.catchingUp && <div className={cx(textCss.muted, logCss.logEmpty)}>(no output)</div>}
        <div style={{ height: rows.totalHeight, position: 'relative', minWidth: '100%', ['--gutter' as string]: `${Math.max(5, String(count).length + 1)}ch` }}>
          {Array.from({ length: rows.end - rows.first }, (_, k) => {
            const i = rows.first + k;
            const stream = buffer.streamOf(i);
            return (
              <div
                key={i}
                data-stream={stream}
                className={cx(logCss.logLine, stream === 'stderr' && logCss.logStderr, stream === 'system' && logCss.logSystem, i === currentLine && logCss.current)}
                style={{ transform: `translateY(${i * LINE_HEIGHT}px)`, height: LINE_HEIGHT }}
                data-testid="log-line"
                data-index={i}
              >
                <span className={logCss.logN}>{i + 1}</span>
                {showTimes && <span className={logCss.logT}>{formatClock(buffer.timeOf(i), true)}</span>}
                <span className={logCss.logText} data-testid="log-text">
                  <LogLineText line={buffer.line(i)} start={buffer.startState(i)} query={query} />
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
