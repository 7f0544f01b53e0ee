import { useConnection } from './connection';
import { useErrors } from './errors';
import { cx } from '../ui/class-names';
import bannerCss from '../ui/banner.module.css';
import buttonCss from '../ui/button.module.css';
import textCss from '../ui/text.module.css';

/** Errors nobody shows inline, and a bridge that cannot work at all. */
export function ErrorBanner() {
  const errors = useErrors((s) => s.errors);
  const dismiss = useErrors((s) => s.dismiss);
  const fatal = useConnection((s) => s.fatal);
  if (errors.length === 0 && !fatal) return <div data-testid="error-banner" className={bannerCss.area} hidden />;
  return (
    <div className={bannerCss.area} data-testid="error-banner" role="alert">
      {fatal && <div className={cx(bannerCss.banner, bannerCss.error)}>{fatal}</div>}
      {errors.map((e) => (
        <div key={e.id} className={cx(bannerCss.banner, bannerCss.error)} data-testid="error-banner-item">
          <span className={bannerCss.text}>
            {e.text}
            {e.count > 1 && <span className={textCss.muted}> (×{e.count})</span>}
          </span>
          <button type="button" className={buttonCss.icon} aria-label="Dismiss" onClick={() => dismiss(e.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
