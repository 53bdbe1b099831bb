import express from 'express';
import type { AddressInfo } from 'node:net';
import { securityHeaders } from './security-headers';

async function headersOf(path: string): Promise<Headers> {
  const app = express().use(securityHeaders({ allowApolloSandbox: false }), (_req, res) => res.send('ok'));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    return (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`)).headers;
  } finally {
    server.close();
  }
}

describe('securityHeaders', () => {
  it("lets pages connect to their own origin only (ws: and wss: included by 'self'), not to any host", async () => {
    const csp = (await headersOf('/admin/')).get('content-security-policy') ?? '';
    const connectSrc = csp.split(';').find((directive) => directive.trim().startsWith('connect-src'));
    expect(connectSrc?.trim()).toBe("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
