import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GoogleAccount {
  sub: string;
  email: string;
  /** Google has sent it as a boolean and as a string. */
  email_verified: boolean | 'true' | 'false';
  name?: string;
}

/** The cookie by which a browser is "signed in to Google" as an account (see `Browser`). */
export const GOOGLE_ACCOUNT_COOKIE = 'fake_google_account';
/** Set to `deny` and the person refuses consent on Google's page. */
export const GOOGLE_CONSENT_COOKIE = 'fake_google_consent';

const CLIENT_ID = 'fake-google-client.apps.example.com';
const CLIENT_SECRET = 'fake-google-client-secret';

interface Grant {
  sub: string;
  clientId: string;
  redirectUri: string;
}

/**
 * Google's three OAuth endpoints on 127.0.0.1, strict where Google is strict: the client's id and
 * secret, single-use codes bound to their redirect URI, bearer access tokens on userinfo.
 */
export class FakeGoogle {
  /** Every authorization request as received, for assertions on what the app sent. */
  readonly authorizations: URLSearchParams[] = [];
  /** How each userinfo call carried its token: tokens must never be in the URL. */
  readonly userinfoCalls: { authorization?: string; query: string }[] = [];
  private readonly accounts = new Map<string, GoogleAccount>();
  private readonly codes = new Map<string, Grant>();
  private readonly tokens = new Map<string, string>();
  private readonly server: Server = createServer((req, res) => {
    this.handle(req, res).catch((error: unknown) => send(res, 500, { error: String(error) }));
  });
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The app's configuration pointing at this fake. */
  env(): Record<string, string> {
    return {
      GOOGLE_CLIENT_ID: CLIENT_ID,
      GOOGLE_CLIENT_SECRET: CLIENT_SECRET,
      GOOGLE_AUTH_URL: `${this.url}/o/oauth2/v2/auth`,
      GOOGLE_TOKEN_URL: `${this.url}/token`,
      GOOGLE_USERINFO_URL: `${this.url}/v1/userinfo`,
    };
  }

  /** Makes the account known to Google (its e-mail or name may change between sign-ins). */
  register(account: GoogleAccount): void {
    this.accounts.set(account.sub, account);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    if (req.method === 'GET' && url.pathname === '/o/oauth2/v2/auth')
      return this.authorize(req, url.searchParams, res);
    if (req.method === 'POST' && url.pathname === '/token')
      return this.token(new URLSearchParams(await body(req)), res);
    if (req.method === 'GET' && url.pathname === '/v1/userinfo') return this.userinfo(req, url, res);
    send(res, 404, { error: 'not_found' });
  }

  /** Google's consent page, decided at once by the browser's cookies. */
  private authorize(req: IncomingMessage, params: URLSearchParams, res: ServerResponse): void {
    this.authorizations.push(params);
    const redirectUri = params.get('redirect_uri');
    const clientId = params.get('client_id');
    if (clientId !== CLIENT_ID || params.get('response_type') !== 'code' || !redirectUri) {
      return send(res, 400, { error: 'invalid_request' });
    }
    const back = new URL(redirectUri);
    const state = params.get('state');
    if (state !== null) back.searchParams.set('state', state);
    const cookies = parseCookies(req.headers.cookie);
    const account = this.accounts.get(cookies[GOOGLE_ACCOUNT_COOKIE] ?? '');
    if (cookies[GOOGLE_CONSENT_COOKIE] === 'deny' || !account) {
      back.searchParams.set('error', 'access_denied');
    } else {
      const code = randomBytes(16).toString('hex');
      this.codes.set(code, { sub: account.sub, clientId, redirectUri });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.toString() }).end();
  }

  private token(form: URLSearchParams, res: ServerResponse): void {
    if (form.get('client_id') !== CLIENT_ID || form.get('client_secret') !== CLIENT_SECRET) {
      return send(res, 401, { error: 'invalid_client' });
    }
    const code = form.get('code') ?? '';
    const grant = this.codes.get(code);
    this.codes.delete(code);
    if (
      form.get('grant_type') !== 'authorization_code' ||
      !grant ||
      grant.redirectUri !== form.get('redirect_uri')
    ) {
      return send(res, 400, { error: 'invalid_grant' });
    }
    const accessToken = `ya29.${randomBytes(24).toString('hex')}`;
    this.tokens.set(accessToken, grant.sub);
    send(res, 200, {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: 3599,
      scope: 'openid email profile',
    });
  }

  private userinfo(req: IncomingMessage, url: URL, res: ServerResponse): void {
    this.userinfoCalls.push({ authorization: req.headers.authorization, query: url.search });
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const account = this.accounts.get(this.tokens.get(token ?? '') ?? '');
    if (!account) return send(res, 401, { error: 'invalid_token', error_description: 'Invalid Credentials' });
    send(res, 200, account);
  }
}

function send(res: ServerResponse, status: number, json: object): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
}

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
}

function parseCookies(header: string | undefined): Record<string, string> {
  return Object.fromEntries(
    (header ?? '')
      .split(';')
      .map((part) => part.trim().split('='))
      .filter(([name]) => name)
      .map(([name, ...value]) => [name, value.join('=')]),
  );
}
