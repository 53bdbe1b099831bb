/**
 * Query parameters that carry secrets (OAuth codes and state, reset tokens, Gemini clients' API key,
 * the WebSocket's `?token=`), compared by decoded, lower-cased name: Express and URLSearchParams decode
 * `?%6Bey=` to `key`, so the auth guard takes that key as it takes `?key=`, and the log must not show it.
 */
const SECRET_PARAMS = new Set(['code', 'state', 'token', 'access_token', 'refresh_token', 'key', 'api_key']);
/** Session codes for third-party tools can also appear in a path (DELETE /api/v1/sessions/:token), encoded or not. */
const VERIFIED_CODE = /VERIFIED-.*/s;
const REDACTED = '[redacted]';

/** A URL safe to write to a log: secrets replaced, everything else kept as sent for debugging. */
export function maskUrl(url: string): string {
  const hashAt = url.indexOf('#');
  const beforeHash = hashAt === -1 ? url : url.slice(0, hashAt);
  const hash = hashAt === -1 ? '' : url.slice(hashAt);
  const queryAt = beforeHash.indexOf('?');
  if (queryAt === -1) return maskPath(beforeHash) + hash;
  return `${maskPath(beforeHash.slice(0, queryAt))}?${maskQuery(beforeHash.slice(queryAt + 1))}${hash}`;
}

/** A query string (without `?`) with the values of secret-bearing parameters replaced, the rest as sent. */
export function maskQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const equalsAt = pair.indexOf('=');
      if (equalsAt === -1) return maskVerified(pair);
      const name = pair.slice(0, equalsAt);
      return isSecretName(name) ? `${name}=${REDACTED}` : `${name}=${maskVerified(pair.slice(equalsAt + 1))}`;
    })
    .join('&');
}

/** `key`, `KEY`, `%6Bey`, `ke%79`, `key[]` (how qs-style parsers read an array) are all the key. */
function isSecretName(raw: string): boolean {
  const name = decodeComponent(raw).toLowerCase();
  const bracketAt = name.indexOf('[');
  return SECRET_PARAMS.has((bracketAt === -1 ? name : name.slice(0, bracketAt)).trim());
}

function maskPath(path: string): string {
  return path.split('/').map(maskVerified).join('/');
}

/** A path segment or value holding a session code, decoded (Express decodes `%56ERIFIED-…` for the route). */
function maskVerified(raw: string): string {
  const decoded = decodeComponent(raw);
  return VERIFIED_CODE.test(decoded) ? decoded.replace(VERIFIED_CODE, `VERIFIED-${REDACTED}`) : raw;
}

/** Decodes as URLSearchParams does (`+` is a space); malformed escapes stay as they are. */
function decodeComponent(raw: string): string {
  const spaced = raw.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced.replace(/%[0-9a-f]{2}/gi, (escape) => {
      try {
        return decodeURIComponent(escape);
      } catch {
        return escape;
      }
    });
  }
}
