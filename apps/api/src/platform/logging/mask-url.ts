/** Query parameters that carry secrets (OAuth codes and state, reset tokens, Gemini clients' API key). */
const SECRET_PARAMS = /([?&](?:code|state|token|access_token|refresh_token|key)=)[^&#]*/gi;
/** Session codes for third-party tools can also appear in a path (DELETE /api/v1/sessions/:token). */
const VERIFIED_CODE = /VERIFIED-[A-Za-z0-9_-]+/g;

/** A URL safe to write to a log: secrets replaced, everything else kept for debugging. */
export function maskUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]').replace(VERIFIED_CODE, 'VERIFIED-[redacted]');
}
