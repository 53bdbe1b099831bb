import { incomingUrlAttributes } from './tracing-sdk';

describe('incomingUrlAttributes', () => {
  it('masks the query by decoded name, as the access log does (the instrumentation matches names case-sensitively)', () => {
    expect(incomingUrlAttributes('/v1beta/models/m:generateContent?alt=sse&%6Bey=sah_secret1&KEY=sah_secret2')).toEqual({
      'url.path': '/v1beta/models/m:generateContent',
      'url.query': 'alt=sse&%6Bey=[redacted]&KEY=[redacted]',
    });
  });

  it('masks a session code in the path and leaves a plain path alone', () => {
    expect(incomingUrlAttributes('/api/v1/sessions/%56ERIFIED-secret3')).toEqual({ 'url.path': '/api/v1/sessions/VERIFIED-[redacted]' });
    expect(incomingUrlAttributes('/graphql')).toEqual({ 'url.path': '/graphql' });
  });
});
