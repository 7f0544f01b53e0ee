// Must stay the first import: sets up React Fast Refresh in `electron-vite dev` without the
// inline script the CSP refuses (an empty module in production builds).
import '@vitejs/plugin-react/preamble';
// Tokens and element defaults first: every module's classes come after them in the cascade.
import './theme/tokens.css';
import './theme/base.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startLiveUpdates } from './shell/live';
import { startTheme } from './theme/theme';

const container = document.getElementById('root');
if (container === null) {
  throw new Error('Flowdeck: #root element missing from index.html');
}

startTheme();
startLiveUpdates();

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
