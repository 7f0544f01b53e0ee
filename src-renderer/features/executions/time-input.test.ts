import { describe, expect, it } from 'vitest';
import { fromLocalInput, toLocalInput } from './time-input';

describe('fromLocalInput', () => {
  it('reads minutes and seconds in local time', () => {
    expect(fromLocalInput('2024-05-01T13:04')).toBe(new Date(2024, 4, 1, 13, 4, 0).getTime());
    expect(fromLocalInput('2024-05-01T13:04:05')).toBe(new Date(2024, 4, 1, 13, 4, 5).getTime());
    expect(fromLocalInput('2024-05-01T13:04:05.5')).toBe(new Date(2024, 4, 1, 13, 4, 5, 500).getTime());
  });

  it('is null for empty text, other shapes and days that do not exist', () => {
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('yesterday')).toBeNull();
    expect(fromLocalInput('2024-02-31T10:00')).toBeNull();
  });

  it('round-trips with toLocalInput to the second', () => {
    const t = new Date(2023, 11, 31, 23, 59, 58).getTime();
    expect(toLocalInput(t)).toBe('2023-12-31T23:59:58');
    expect(fromLocalInput(toLocalInput(t))).toBe(t);
  });
});
