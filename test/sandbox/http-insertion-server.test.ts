/**
 * URL, header and JSON body insertion checked end to end: every nasty value goes through
 * fetch to a real HTTP server on loopback, which must receive exactly the value, in the
 * path segment, the query parameter, the header and the JSON fields it was put in.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src-shared/domain/inventory';
import { FlowdeckError } from '../../src-shared/errors';
import { planHttpBody, planHttpHeader, planHttpUrl, renderHttpBody, renderHttpHeader, renderHttpUrl } from '../../src-main/sandbox/http-context';
import { valueText } from '../../src-main/sandbox/template-values';
import { nastyValues, randomStrings } from '../support/nasty-values';

interface Received {
  url: string;
  header: string | undefined;
  body: string;
}

let server: Server;
let base: string;
const received: Received[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const header = req.headers['x-value'];
      received.push({ url: req.url ?? '', header: Array.isArray(header) ? header.join(',') : header, body: Buffer.concat(chunks).toString('utf8') });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const values: JsonValue[] = [...nastyValues.filter((value) => !(typeof value === 'string' && value.includes('\0'))), ...randomStrings(424242, 120)];

function thrown(run: () => unknown): FlowdeckError | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof FlowdeckError) return error;
    throw error;
  }
}

describe('HTTP insertion against a real server', () => {
  it('delivers every value exactly in the path, the query, a header and the JSON body', async () => {
    const urlPlan = planHttpUrl('{{ base }}/items/{{ x }}/detail?q={{ x }}&n=1#{{ x }}', 'url');
    const headerPlan = planHttpHeader('v={{ x }}', 'header');
    const bodyPlan = planHttpBody('{"text": "<{{ x }}>", "value": {{ x }}}', 'body', 'application/json');
    const problems: string[] = [];
    for (const value of values) {
      const text = valueText(value);
      const urlError = thrown(() => renderHttpUrl(urlPlan, [base, value, value, value]));
      // Only a value that would make the path segment `.`, `..` or empty may be refused.
      if (urlError) {
        if (!['', '.', '..'].includes(text)) problems.push(`url refused ${JSON.stringify(value)}: ${urlError.message}`);
        continue;
      }
      const headerError = thrown(() => renderHttpHeader(headerPlan, [value]));
      const headerAllowed = /^[\t -~\u0080-\u00ff]*$/u.test(text);
      if (Boolean(headerError) === headerAllowed) problems.push(`header ${headerError ? 'refused' : 'allowed'} ${JSON.stringify(value)}`);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (!headerError) headers['x-value'] = renderHttpHeader(headerPlan, [value]);
      const response = await fetch(renderHttpUrl(urlPlan, [base, value, value, value]), {
        method: 'POST',
        headers,
        body: renderHttpBody(bodyPlan, [value, value]),
      });
      await response.text();
      const got = received.shift();
      if (!got) {
        problems.push(`nothing received for ${JSON.stringify(value)}`);
        continue;
      }
      const target = new URL(got.url, base);
      const segments = target.pathname.split('/');
      if (segments.length !== 4 || decodeURIComponent(segments[2] ?? '') !== text || segments[3] !== 'detail') {
        problems.push(`path ${JSON.stringify(got.url)} for ${JSON.stringify(value)}`);
      }
      if (target.searchParams.get('q') !== text || target.searchParams.get('n') !== '1') problems.push(`query ${JSON.stringify(got.url)} for ${JSON.stringify(value)}`);
      // fetch trims the blanks around a header value, as HTTP says it may.
      if (!headerError && got.header !== `v=${text}`.replace(/[\t ]+$/u, '')) problems.push(`header ${JSON.stringify(got.header)} for ${JSON.stringify(value)}`);
      const parsed = JSON.parse(got.body) as { text: string; value: JsonValue };
      if (parsed.text !== `<${text}>`) problems.push(`body text ${JSON.stringify(parsed.text)} for ${JSON.stringify(value)}`);
      expect(parsed.value).toEqual(value);
    }
    expect(problems).toEqual([]);
  });
});
