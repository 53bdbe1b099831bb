import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import Redis from 'ioredis';
import type {
  Metadata,
  StateStore,
  StateStoreStoreCallback,
  StateStoreVerifyCallback,
} from 'passport-oauth2';
import { AppConfig } from '../../../config/app-config';
import { randomToken, sameDigest, sha256 } from '../application/secrets';
import { GoogleSignInRequest, isGoogleSignInRequest, parseSignInRequest } from './google-sign-in-request';

const STATE_TTL_MS = 10 * 60_000;
const STATE_COOKIE = 'sah_google_state';
const COOKIE_PATH = '/auth/google';
const stateKey = (stateHash: string) => `identity:google-oauth-state:${stateHash}`;

/** Why a callback's state was refused: passport's failure info, which the guard turns into the page. */
interface StateRefusal {
  reason: 'state';
  message: string;
}
type StateCheck = { ok: true; request: GoogleSignInRequest } | { ok: false; refusal: StateRefusal };

const refused = (message: string): StateCheck => ({ ok: false, refusal: { reason: 'state', message } });

/**
 * The OAuth `state` (CSRF protection) for passport-oauth2, bound to the browser that started the
 * sign-in: a random value goes to Google, its hash to Redis (with what the sign-in was for) and to an
 * HttpOnly cookie. The callback must bring both back, once, within ten minutes.
 */
@Injectable()
export class OAuthStateStore implements StateStore {
  constructor(
    private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  // passport-oauth2 chooses how to call by the function's arity; both forms are accepted.
  store(req: Request, callback: StateStoreStoreCallback): void;
  store(req: Request, meta: Metadata, callback: StateStoreStoreCallback): void;
  store(
    req: Request,
    metaOrCallback: Metadata | StateStoreStoreCallback,
    callback?: StateStoreStoreCallback,
  ): void {
    const done = typeof metaOrCallback === 'function' ? metaOrCallback : callback;
    this.begin(req).then(
      (state) => done?.(null, state),
      (error: Error) => done?.(error, undefined),
    );
  }

  // On success passport hands `request` to the callback route as req.authInfo.state; a refusal
  // becomes the failure's info.
  verify(req: Request, state: string, callback: StateStoreVerifyCallback): void;
  verify(req: Request, state: string, meta: Metadata, callback: StateStoreVerifyCallback): void;
  verify(
    req: Request,
    state: string,
    metaOrCallback: Metadata | StateStoreVerifyCallback,
    callback?: StateStoreVerifyCallback,
  ): void {
    const done = typeof metaOrCallback === 'function' ? metaOrCallback : callback;
    this.finish(req, state).then(
      (result) => (result.ok ? done?.(null, true, result.request) : done?.(null, false, result.refusal)),
      (error: Error) => done?.(error, false, undefined),
    );
  }

  private async begin(req: Request): Promise<string> {
    const request = parseSignInRequest(req.query);
    const state = randomToken(32);
    const stateHash = sha256(state);
    await this.redis.set(stateKey(stateHash), JSON.stringify(request), 'PX', STATE_TTL_MS);
    req.res?.cookie(STATE_COOKIE, stateHash, { ...this.cookieOptions(), maxAge: STATE_TTL_MS });
    return state;
  }

  private async finish(req: Request, state: unknown): Promise<StateCheck> {
    const cookie = readCookie(req, STATE_COOKIE);
    req.res?.clearCookie(STATE_COOKIE, this.cookieOptions());
    if (typeof state !== 'string' || state.length === 0)
      return refused('The sign-in response carried no state');
    if (!cookie) return refused('This browser did not start this sign-in (its state cookie is missing)');
    const stateHash = sha256(state);
    if (!/^[0-9a-f]{64}$/.test(cookie) || !sameDigest(cookie, stateHash))
      return refused('This sign-in was started in another browser');
    // GETDEL: a state works once, so a replayed callback is refused.
    const stored = await this.redis.getdel(stateKey(stateHash));
    const request: unknown = stored ? JSON.parse(stored) : null;
    if (!isGoogleSignInRequest(request)) return refused('This sign-in was already completed or has expired');
    return { ok: true, request };
  }

  private cookieOptions() {
    return {
      httpOnly: true,
      sameSite: 'lax' as const,
      secure: this.config.http.appUrl.startsWith('https:'),
      path: COOKIE_PATH,
    };
  }
}

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
