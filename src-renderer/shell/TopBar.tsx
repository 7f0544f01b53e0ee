import { useEffect, useState } from 'react';
import { connection } from '../bridge';
import { useConnection } from './connection';
import { cx } from '../ui/class-names';
import buttonCss from '../ui/button.module.css';
import shellCss from './shell.module.css';
import textCss from '../ui/text.module.css';

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

/** App name and the state of the link to main: always visible, so a stale screen is never mistaken for a live one. */
export function TopBar() {
  const c = useConnection();
  const now = useNow(c.status === 'closed' && c.retryAt !== null);
  let text: string;
  if (c.fatal) text = 'not connected';
  else if (c.kind === 'electron') text = 'connected';
  else if (c.status === 'open') text = 'connected';
  else if (c.status === 'connecting') text = c.failures > 0 ? `reconnecting (attempt ${c.failures + 1})…` : 'connecting…';
  else text = c.retryAt !== null ? `disconnected — retrying in ${Math.max(0, Math.ceil((c.retryAt - now) / 1000))}s` : 'disconnected';
  const state = c.fatal ? 'closed' : c.status;
  return (
    <header className={shellCss.topbar}>
      <span className={shellCss.brand}>Flowdeck</span>
      <span className={cx(shellCss.topbarSub, textCss.muted)}>{c.kind === 'electron' ? 'desktop' : 'headless console'}</span>
      <span className={shellCss.topbarSpacer} />
      <span className={shellCss.conn} data-testid="connection-state" data-state={state} role="status" aria-live="polite">
        <span className={shellCss.connDot} aria-hidden="true" />
        {text}
      </span>
      {c.status === 'closed' && !c.fatal && (
        <button type="button" className={cx(buttonCss.btn, buttonCss.small)} onClick={() => connection.reconnectNow()} data-testid="reconnect-button">
          Retry now
        </button>
      )}
    </header>
  );
}
