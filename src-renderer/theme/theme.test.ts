import { describe, expect, it } from 'vitest';
import { isThemeChoice, resolveTheme } from './theme';

describe('theme choice', () => {
  it('follows the system only when the choice is "system"', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });

  it('reads back only the three choices from storage', () => {
    expect(['system', 'light', 'dark'].every(isThemeChoice)).toBe(true);
    expect([null, '', 'Dark', 'blue', 1].some(isThemeChoice)).toBe(false);
  });
});
