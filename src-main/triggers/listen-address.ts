import { isIP } from 'node:net';
import { FlowdeckError } from '../../src-shared/errors';

export interface ListenAddress {
  host: string;
  /** 0: any free port. */
  port: number;
}

/** `HOST`, `HOST:PORT`, `[IPV6]` or `[IPV6]:PORT`; a host name or an IP address. */
export function parseListenAddress(text: string, what = '--listen'): ListenAddress {
  const s = text.trim();
  const m = /^\[([0-9A-Fa-f:.]+)\](?::(\d+))?$/.exec(s) ?? /^([^:[\]\s]+)(?::(\d+))?$/.exec(s);
  const host = m?.[1];
  const port = m?.[2] === undefined ? 0 : Number(m[2]);
  if (!host || !Number.isInteger(port) || port > 65535 || (host.includes(':') && isIP(host) !== 6)) {
    throw new FlowdeckError('invalid-input', `${what} takes HOST or HOST:PORT (e.g. 0.0.0.0:8443 or [::]:8443), not "${text}"`);
  }
  return { host, port };
}

/** The console's own address: a listener here needs no TLS, as the console needs none. */
export function isDefaultHost(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost';
}

export function formatAddress(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
