import { Component, type ErrorInfo, type ReactNode } from 'react';
import { cx } from '../ui/class-names';
import bannerCss from '../ui/banner.module.css';
import buttonCss from '../ui/button.module.css';
import textCss from '../ui/text.module.css';
import { navigate, routeHref, type Page } from './route';
import shellCss from './shell.module.css';

const PAGE_NAMES: Record<Page, string> = {
  inventory: 'Inventory',
  flows: 'Flows',
  tasks: 'Tasks',
  schedules: 'Schedules',
  executions: 'Executions',
  runners: 'Runners',
  settings: 'Settings',
};

interface Props {
  /** The section whose page this guards, named in the message. */
  page: Page;
  /** Changes with the route: going anywhere else clears the error. */
  resetKey: string;
  children: ReactNode;
}

interface State {
  error: Error | null;
  resetKey: string;
}

/**
 * Catches an error thrown while a page renders (an answer of a shape the page did not expect, a
 * bug) and says what broke instead of leaving the window blank; the frame around the page, the
 * navigation and every other page keep working. Leaving the page, or reloading, is the way back.
 */
export class PageErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, resetKey: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.resetKey ? { error: null, resetKey: props.resetKey } : null;
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // For whoever opens the developer tools: where in the page it broke.
    console.error(`The ${PAGE_NAMES[this.props.page]} page failed to render`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (error === null) return this.props.children;
    const name = PAGE_NAMES[this.props.page];
    const elsewhere: Page = this.props.page === 'executions' ? 'inventory' : 'executions';
    return (
      <div className={shellCss.pageError} role="alert" data-testid="page-error" data-page={this.props.page}>
        <div className={cx(bannerCss.banner, bannerCss.error)}>
          <div className={bannerCss.text}>
            <h1>The {name} page could not be shown</h1>
            <p>Something on this page failed while it was drawn; the rest of Flowdeck still works.</p>
            <p className={textCss.mono} data-testid="page-error-message">
              {error.message || error.name}
            </p>
          </div>
        </div>
        <div className={shellCss.pageErrorActions}>
          <a className={cx(buttonCss.btn, buttonCss.primary)} href={routeHref({ page: elsewhere })} onClick={() => navigate({ page: elsewhere })} data-testid="page-error-leave">
            Go to {PAGE_NAMES[elsewhere]}
          </a>
          <button type="button" className={buttonCss.btn} onClick={() => location.reload()} data-testid="page-error-reload">
            Reload {name}
          </button>
        </div>
      </div>
    );
  }
}
