import { THEME_CHOICES, useTheme, type ThemeChoice } from '../../theme/theme';
import { cx } from '../../ui/class-names';
import formCss from '../../ui/form.module.css';
import layoutCss from '../../ui/layout.module.css';
import textCss from '../../ui/text.module.css';

const LABEL: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };

/** Light, dark, or whatever the operating system uses; remembered by this window's browser. */
export function ThemePanel() {
  const { choice, theme, choose } = useTheme();
  return (
    <section className={layoutCss.panel} aria-labelledby="theme-title" data-testid="theme">
      <h2 id="theme-title">Appearance</h2>
      <div className={cx(formCss.row, formCss.pickList)} role="radiogroup" aria-label="Theme">
        {THEME_CHOICES.map((c) => (
          <label key={c} className={cx(formCss.field, formCss.fieldCheck)}>
            <input type="radio" name="theme" value={c} checked={choice === c} onChange={() => choose(c)} data-testid={`theme-${c}`} />
            <span>{LABEL[c]}</span>
          </label>
        ))}
      </div>
      <p className={cx(textCss.muted, textCss.small)} data-testid="theme-current" data-theme-shown={theme}>
        {choice === 'system' ? `Follows the operating system: ${theme} now.` : `Always ${theme}.`} Remembered by this window.
      </p>
    </section>
  );
}
