import { useConnection } from './connection';
import { useErrors } from './errors';

/** Errors nobody shows inline, and a bridge that cannot work at all. */
export function ErrorBanner() {
  const errors = useErrors((s) => s.errors);
  const dismiss = useErrors((s) => s.dismiss);
  const fatal = useConnection((s) => s.fatal);
  if (errors.length === 0 && !fatal) return <div data-testid="error-banner" className="banner-area" hidden />;
  return (
    <div className="banner-area" data-testid="error-banner" role="alert">
      {fatal && <div className="banner banner-error">{fatal}</div>}
      {errors.map((e) => (
        <div key={e.id} className="banner banner-error" data-testid="error-banner-item">
          <span className="banner-text">
            {e.text}
            {e.count > 1 && <span className="muted"> (×{e.count})</span>}
          </span>
          <button type="button" className="btn-icon" aria-label="Dismiss" onClick={() => dismiss(e.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
