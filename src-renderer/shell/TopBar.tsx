import { useEffect, useState } from 'react';
import { connection } from '../bridge';
import { useConnection } from './connection';

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
    <header className="topbar">
      <span className="brand">Flowdeck</span>
      <span className="topbar-sub muted">{c.kind === 'electron' ? 'desktop' : 'headless console'}</span>
      <span className="topbar-spacer" />
      <span className={`conn conn-${state}`} data-testid="connection-state" data-state={state} role="status" aria-live="polite">
        <span className="conn-dot" aria-hidden="true" />
        {text}
      </span>
      {c.status === 'closed' && !c.fatal && (
        <button type="button" className="btn btn-small" onClick={() => connection.reconnectNow()} data-testid="reconnect-button">
          Retry now
        </button>
      )}
    </header>
  );
}
