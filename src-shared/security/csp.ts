/**
 * The content security policy of the console: the desktop window and `flowdeck serve` serve the
 * same renderer, so they share one policy; the headless console adds its own WebSocket.
 */
export function contentSecurityPolicy(opts: { websocket: boolean }): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    opts.websocket ? "connect-src 'self' ws://127.0.0.1:*" : "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-src 'none'",
  ].join('; ');
}
