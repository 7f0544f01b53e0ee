import { useEffect, useMemo, useRef, useState } from 'react';
import type { StepRunRecord } from '../../../src-shared/domain/execution';
import { OUTPUT_SAMPLE_BYTES, type OutputGroup, type OutputGroups as OutputGroupsValue, type RequestOf } from '../../../src-shared/ipc/contract';
import { bridge } from '../../bridge';
import { errorText } from '../../format/error';
import { formatBytes, groupSummary, runningElements, sampleLines, splitOutliers } from './output-groups';
import { onReconnect } from '../../shell/connection';
import { LogLineText } from './log/LogLine';
import { cx } from '../../ui/class-names';
import buttonCss from '../../ui/button.module.css';
import chipCss from '../../ui/chip.module.css';
import logCss from './log/log.module.css';
import ogCss from './output-groups.module.css';
import textCss from '../../ui/text.module.css';

type Stream = NonNullable<RequestOf<'executions/outputGroups'>['stream']>;

/** A sample shows this many lines at most: the element's own log has the rest. */
const MAX_SAMPLE_LINES = 400;
/**
 * At most one request this often while runs keep changing: a wave finishing is a burst of
 * changes, and a long one must not postpone the refresh for as long as it lasts.
 */
const REFRESH_INTERVAL_MS = 500;
/** A moment for the rest of a burst to arrive after a quiet spell. */
const SETTLE_MS = 50;

/** What changes the grouping: a run of the step added, finished or retried. */
function runsSignature(runs: Iterable<StepRunRecord>, step: string): string {
  const parts: string[] = [];
  for (const r of runs) if (r.step === step) parts.push(`${r.id}:${r.status}`);
  return parts.sort().join(',');
}

interface ChipProps {
  selected: string | null;
  /** Elements whose run of the step has not finished: drawn apart, their output may change. */
  running: ReadonlySet<string>;
  onOpen: (element: string) => void;
}

function ElementChips({ elements, selected, running, onOpen }: ChipProps & { elements: string[] }) {
  return (
    <span className={ogCss.chips}>
      {elements.map((e) => (
        <button
          type="button"
          key={e}
          className={cx(chipCss.chip, chipCss.button, textCss.mono, e === selected && ogCss.chipSelected, running.has(e) && ogCss.chipRunning)}
          onClick={() => onOpen(e)}
          aria-label={`Open the log of ${e}${running.has(e) ? ' (still running)' : ''}`}
          aria-pressed={e === selected}
          data-testid="output-group-element"
          data-element={e}
          data-running={running.has(e) ? 'true' : undefined}
        >
          {e}
        </button>
      ))}
    </span>
  );
}

function Sample({ group }: { group: OutputGroup }) {
  const { lines, more } = useMemo(() => sampleLines(group.sample, MAX_SAMPLE_LINES), [group.sample]);
  return (
    <div className={ogCss.sample} tabIndex={0} role="region" aria-label={`Output of ${group.elements[0] ?? ''}`} data-testid="output-group-sample">
      {lines.length === 0 && <div className={cx(textCss.muted, logCss.logEmpty)}>(no output)</div>}
      {lines.map((l, i) => (
        <div key={i} className={ogCss.line} data-testid="output-line">
          <LogLineText line={l.text} start={l.start} query="" />
        </div>
      ))}
      {(more > 0 || group.truncated) && (
        <div className={ogCss.more} data-testid="output-group-truncated">
          {more > 0 ? `… ${more.toLocaleString()} more lines of the sample` : '…'}
          {group.truncated ? ` (the sample is the first ${formatBytes(OUTPUT_SAMPLE_BYTES)} of ${formatBytes(group.bytes)})` : ''}; the element's log has all of it
        </div>
      )}
    </div>
  );
}

function GroupCard({ group, wide, ...chips }: ChipProps & { group: OutputGroup; wide: boolean }) {
  return (
    <section className={wide ? cx(ogCss.group, ogCss.main) : cx(ogCss.group, ogCss.outlier)} data-testid="output-group" data-size={group.size} data-key={group.key} aria-label={`${group.size} element${group.size === 1 ? '' : 's'} with this output`}>
      <div className={ogCss.groupHead}>
        <strong data-testid="output-group-size">
          {group.size} element{group.size === 1 ? '' : 's'}
        </strong>
        <span className={cx(textCss.muted, textCss.small)}>{formatBytes(group.bytes)}</span>
        <ElementChips elements={group.elements} {...chips} />
      </div>
      <Sample group={group} />
    </section>
  );
}

interface Props {
  executionId: number;
  step: string;
  /** The execution's step runs (the grid's): a change to this step's runs asks again. */
  runs: ReadonlyMap<number, StepRunRecord>;
  /** The element whose log is open, if it is one of this step's. */
  selectedElement: string | null;
  onOpenLog: (element: string) => void;
  onClose: () => void;
}

/**
 * Output grouping for one step: elements whose last attempt printed the same bytes are
 * one group; the largest is drawn wide with its sample, the outliers side by side under it,
 * so "37 identical, 3 differ" reads at a glance. Read-only; every element opens its log.
 */
export function OutputGroups({ executionId, step, runs, selectedElement, onOpenLog, onClose }: Props) {
  const [stream, setStream] = useState<Stream>('stdout');
  /** The newest answer, with what it was asked for and the elements still running then. */
  const [value, setValue] = useState<{ groups: OutputGroupsValue; stream: Stream; running: ReadonlySet<string> } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const signature = useMemo(() => runsSignature(runs.values(), step), [runs, step]);
  const running = useMemo(() => runningElements(runs.values(), step), [runs, step]);
  // Read when the request goes out: counting today's statuses against an older answer would
  // call an element that finished since "identical" on the empty output it had then.
  const runningNow = useRef(running);
  useEffect(() => {
    runningNow.current = running;
  }, [running]);
  const [reconnects, setReconnects] = useState(0);
  const asked = useRef(0);
  const answered = useRef(0);
  const mounted = useRef(true);
  const lastSent = useRef(0);

  useEffect(() => {
    mounted.current = true;
    const off = onReconnect(() => setReconnects((n) => n + 1));
    return () => {
      mounted.current = false;
      off();
    };
  }, []);

  useEffect(() => {
    setLoading(true);
    const t = setTimeout(() => {
      lastSent.current = Date.now();
      const n = ++asked.current;
      const runningThen = runningNow.current;
      void bridge.invoke('executions/outputGroups', { id: executionId, step, stream }).then((r) => {
        // An answer overtaken by a newer one is dropped; one merely followed by a newer request
        // is still shown, so a run that keeps changing never starves the panel.
        if (!mounted.current || n < answered.current) return;
        answered.current = n;
        if (n === asked.current) setLoading(false);
        if (r.ok) {
          setValue({ groups: r.value, stream, running: runningThen });
          setError(null);
        } else setError(errorText(r.error));
      });
    }, Math.max(SETTLE_MS, lastSent.current + REFRESH_INTERVAL_MS - Date.now()));
    return () => clearTimeout(t);
  }, [executionId, step, stream, signature, reconnects]);

  // Another stream's answer is not shown under this stream's name.
  const shown = value && value.stream === stream && value.groups.step === step ? value.groups : null;
  const shownRunning = value?.running ?? running;
  const { main, outliers } = splitOutliers(shown?.groups ?? []);

  return (
    <section className={ogCss.panel} data-testid="output-groups" data-step={step} data-loading={loading ? 'true' : 'false'} aria-label={`Output by element of ${step}`}>
      <div className={ogCss.head}>
        <strong>Output by element</strong>
        <span className={textCss.muted}>of</span>
        <strong className={textCss.mono}>{step}</strong>
        {shown && (
          <span className={ogCss.summary} data-testid="output-groups-summary" role="status">
            {groupSummary(shown, shownRunning)}
          </span>
        )}
        {loading && <span className={cx(textCss.muted, textCss.small)}>loading…</span>}
        <span className={textCss.spacer} />
        <label className={textCss.small}>
          stream{' '}
          <select value={stream} onChange={(e) => setStream(e.target.value as Stream)} data-testid="output-groups-stream">
            <option value="stdout">stdout</option>
            <option value="stderr">stderr</option>
            <option value="both">stdout + stderr</option>
          </select>
        </label>
        <button type="button" className={buttonCss.icon} aria-label="Close output by element" onClick={onClose} data-testid="output-groups-close">
          ×
        </button>
      </div>
      {error && (
        <p className={cx(textCss.errorText, ogCss.error)} role="alert" data-testid="output-groups-error">
          {error}
        </p>
      )}
      {shown && (
        <div className={ogCss.body}>
          {main && <GroupCard group={main} wide selected={selectedElement} running={shownRunning} onOpen={onOpenLog} />}
          {outliers.length > 0 && (
            <div className={ogCss.outliers} data-testid="output-outliers" data-count={outliers.length}>
              {outliers.map((g) => (
                <GroupCard key={g.key} group={g} wide={false} selected={selectedElement} running={shownRunning} onOpen={onOpenLog} />
              ))}
            </div>
          )}
          {shown.missing.length > 0 && (
            <p className={cx(ogCss.missing, textCss.small)} data-testid="output-groups-missing">
              <span className={textCss.muted}>not run on </span>
              {shown.missing.map((e) => (
                <span key={e} className={cx(chipCss.chip, textCss.mono)} data-testid="output-missing-element" data-element={e}>
                  {e}
                </span>
              ))}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
