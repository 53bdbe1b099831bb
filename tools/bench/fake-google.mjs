// Just enough of Google's OAuth endpoints for the bench to obtain a VERIFIED session code:
// consent is always given, for one fixed account.
import { createServer } from 'node:http';

export const CLIENT = { id: 'bench-client.apps.example.com', secret: 'bench-secret' };
const ACCOUNT = { sub: '1000000000001', email: 'bench-google@example.com', email_verified: true, name: 'Bench Google' };

export async function startFakeGoogle() {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === '/auth') {
      const back = new URL(url.searchParams.get('redirect_uri'));
      back.searchParams.set('code', 'bench-code');
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: back.toString() }).end();
    } else if (url.pathname === '/token') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: 'bench-access', token_type: 'Bearer', expires_in: 3600 }));
    } else if (url.pathname === '/userinfo') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(ACCOUNT));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    env: {
      GOOGLE_CLIENT_ID: CLIENT.id,
      GOOGLE_CLIENT_SECRET: CLIENT.secret,
      GOOGLE_AUTH_URL: `${base}/auth`,
      GOOGLE_TOKEN_URL: `${base}/token`,
      GOOGLE_USERINFO_URL: `${base}/userinfo`,
    },
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Walks the third-party-tool sign-in (`?session=`) like a browser and reads the code off the page. */
export async function obtainVerifiedCode(apiBase) {
  const start = await fetch(`${apiBase}/auth/google?session=bench-session&return_to=chatgpt`, { redirect: 'manual' });
  const cookies = start.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const consent = await fetch(start.headers.get('location'), { redirect: 'manual' });
  const page = await fetch(consent.headers.get('location'), { headers: { cookie: cookies }, redirect: 'manual' });
  const code = /value="(VERIFIED-[^"]+)"/.exec(await page.text())?.[1];
  if (!code) throw new Error(`no VERIFIED code on the page (HTTP ${page.status})`);
  return code;
}
