import { maskUrl } from './mask-url';

describe('maskUrl', () => {
  it.each([
    ['/api/v1/sessions/VERIFIED-abc_DEF-123', '/api/v1/sessions/VERIFIED-[redacted]'],
    ['/auth/google/callback?state=s3cr3t&code=4/0Ab&scope=email', '/auth/google/callback?state=[redacted]&code=[redacted]&scope=email'],
    ['/admin/login?code=one-time', '/admin/login?code=[redacted]'],
    ['/admin/reset-password?token=abc#x', '/admin/reset-password?token=[redacted]#x'],
    ['/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse&key=sah_abc', '/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse&key=[redacted]'],
    ['/health', '/health'],
    ['/graphql?operationName=Me', '/graphql?operationName=Me'],
  ])('%s → %s', (url, masked) => expect(maskUrl(url)).toBe(masked));

  // The auth guard reads the decoded name (Express's query parser, like URLSearchParams): `?%6Bey=` is a key.
  it.each([
    ['/v1beta/models/m:generateContent?%6Bey=sah_secret1', '/v1beta/models/m:generateContent?%6Bey=[redacted]'],
    ['/v1beta/models/m:generateContent?ke%79=sah_secret2&alt=sse', '/v1beta/models/m:generateContent?ke%79=[redacted]&alt=sse'],
    ['/v1beta/models/m:generateContent?%6b%65%79=sah_secret3', '/v1beta/models/m:generateContent?%6b%65%79=[redacted]'],
    ['/v1beta/models/m:generateContent?KEY=sah_secret4', '/v1beta/models/m:generateContent?KEY=[redacted]'],
    ['/v1beta/models/m:generateContent?key[]=sah_secret5&key%5B0%5D=sah_secret6', '/v1beta/models/m:generateContent?key[]=[redacted]&key%5B0%5D=[redacted]'],
    ['/v1beta/models/m:generateContent?alt=sse&key=a&key=sah_secret7', '/v1beta/models/m:generateContent?alt=sse&key=[redacted]&key=[redacted]'],
    ['/mcp/ws?%74oken=eyJsecret8', '/mcp/ws?%74oken=[redacted]'],
    ['/auth/google/callback?st%61te=secret9&%63ode=secret10', '/auth/google/callback?st%61te=[redacted]&%63ode=[redacted]'],
    ['/x?%E0%A4%A=1&key=sah_secret11', '/x?%E0%A4%A=1&key=[redacted]'],
    ['/api/v1/sessions/%56ERIFIED-secret12', '/api/v1/sessions/VERIFIED-[redacted]'],
    ['/api/v1/sessions/VERIFIED%2Dsecret13', '/api/v1/sessions/VERIFIED-[redacted]'],
    ['/x?session=%56ERIFIED-secret14', '/x?session=VERIFIED-[redacted]'],
  ])('decodes before it judges: %s → %s', (url, masked) => {
    expect(maskUrl(url)).toBe(masked);
    expect(maskUrl(url)).not.toMatch(/secret\d/);
  });
});
