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
});
