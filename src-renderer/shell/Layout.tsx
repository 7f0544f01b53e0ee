import type { ReactNode } from 'react';
import { ErrorBanner } from './ErrorBanner';
import { HostKeyDialog } from './HostKeyDialog';
import { NavBar } from './NavBar';
import { Notices } from './Notices';
import { TopBar } from './TopBar';
import { useGlobalKeys } from './use-global-keys';

/** The frame around every page: top bar, left nav, error banner, notices, host-key questions. */
export function Layout({ children }: { children: ReactNode }) {
  useGlobalKeys();
  return (
    <div className="layout">
      <TopBar />
      <div className="layout-body">
        <NavBar />
        <div className="layout-main">
          <ErrorBanner />
          <main className="page" data-testid="page">
            {children}
          </main>
        </div>
      </div>
      <Notices />
      <HostKeyDialog />
    </div>
  );
}
