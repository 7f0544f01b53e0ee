import type { ReactNode } from 'react';
import { ErrorBanner } from './ErrorBanner';
import { HostKeyDialog } from './HostKeyDialog';
import { NavBar } from './NavBar';
import { Notices } from './Notices';
import { TopBar } from './TopBar';
import { ShellDock } from '../features/shell/ShellDock';
import { useGlobalKeys } from './use-global-keys';
import shellCss from './shell.module.css';

/** The frame around every page: top bar, left nav, error banner, the shells' dock, notices, host-key questions. */
export function Layout({ children }: { children: ReactNode }) {
  useGlobalKeys();
  return (
    <div className={shellCss.layout}>
      <TopBar />
      <div className={shellCss.layoutBody}>
        <NavBar />
        <div className={shellCss.layoutMain}>
          <ErrorBanner />
          <main className={shellCss.page} data-testid="page">
            {children}
          </main>
          <ShellDock />
        </div>
      </div>
      <Notices />
      <HostKeyDialog />
    </div>
  );
}
