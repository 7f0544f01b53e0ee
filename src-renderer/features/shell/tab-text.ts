import type { ShellTab } from './shell-store';

/** A tab's tooltip: where the shell is and how it stands. */
export function describeTab(t: Pick<ShellTab, 'element' | 'state' | 'message'>): string {
  switch (t.state) {
    case 'connecting':
      return `Shell on ${t.element}: connecting`;
    case 'open':
      return `Shell on ${t.element}`;
    case 'ended':
      return `Shell on ${t.element} ended${t.message ? `: ${t.message}` : ''}`;
    case 'failed':
      return `No shell on ${t.element}${t.message ? `: ${t.message}` : ''}`;
  }
}
