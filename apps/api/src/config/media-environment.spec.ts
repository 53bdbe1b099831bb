import { parseEnvironment } from './environment';

describe('media settings', () => {
  it('defaults to moderation on, files under DATA_DIR/media, and bounded deadlines', () => {
    const { media } = parseEnvironment({}, '/srv/app');
    expect(media).toMatchObject({
      moderation: 'required',
      storageDir: '/srv/app/.data/media',
      imageDeadlineSeconds: 600,
      videoDeadlineSeconds: 3600,
      signedUrlTtlSeconds: 900,
    });
    expect(parseEnvironment({ DATA_DIR: '/var/sah' }, '/srv/app').media.storageDir).toBe('/var/sah/media');
    expect(parseEnvironment({ MEDIA_STORAGE_DIR: 'files' }, '/srv/app').media.storageDir).toBe('/srv/app/files');
  });

  it('keeps results a year and jobs that ended without one 30 days, at least as long as an expired video is reconciled', () => {
    expect(parseEnvironment({}).media).toMatchObject({ retentionDays: 365, temporaryRetentionDays: 30 });
    expect(parseEnvironment({ MEDIA_TEMPORARY_RETENTION_DAYS: '7', MEDIA_RECONCILE_WINDOW_SECONDS: String(7 * 24 * 3600) }).media.temporaryRetentionDays).toBe(7);
    expect(() => parseEnvironment({ MEDIA_TEMPORARY_RETENTION_DAYS: '6', MEDIA_RECONCILE_WINDOW_SECONDS: String(7 * 24 * 3600) })).toThrow(
      /MEDIA_TEMPORARY_RETENTION_DAYS=6 \(must cover MEDIA_RECONCILE_WINDOW_SECONDS\)/,
    );
    expect(() => parseEnvironment({ MEDIA_TEMPORARY_RETENTION_DAYS: '0' })).toThrow(/MEDIA_TEMPORARY_RETENTION_DAYS=0/);
  });

  it('sends the video protocol to OPENAI_VIDEO_BASE_URL when set, else where OPENAI_BASE_URL sends everything', () => {
    expect(parseEnvironment({}).media.videoBaseUrl).toBeUndefined();
    expect(parseEnvironment({ OPENAI_BASE_URL: 'http://openai.local/v1' }).media.videoBaseUrl).toBe('http://openai.local/v1');
    const split = parseEnvironment({ OPENAI_BASE_URL: 'http://openai.local/v1', OPENAI_VIDEO_BASE_URL: 'https://sora.example.com/v1' });
    expect(split.media.videoBaseUrl).toBe('https://sora.example.com/v1');
    expect(split.ai.openai.baseUrl).toBe('http://openai.local/v1');
    expect(() => parseEnvironment({ OPENAI_VIDEO_BASE_URL: 'ftp://sora.example.com' })).toThrow(/OPENAI_VIDEO_BASE_URL \(expected a URL starting with http: or https:\)/);
  });

  it('gives the video calls keys of their own from OPENAI_VIDEO_API_KEY, none (the OpenAI keys) when unset', () => {
    expect(parseEnvironment({ OPENAI_API_KEY: 'sk-openai' }).media.videoApiKeys).toEqual([]);
    const split = parseEnvironment({ OPENAI_API_KEY: 'sk-openai', OPENAI_VIDEO_API_KEY: ' sk-video-1 , sk-video-2 ' });
    expect(split.media.videoApiKeys).toEqual(['sk-video-1', 'sk-video-2']);
    expect(split.ai.openai.apiKeys).toEqual(['sk-openai']);
  });

  it.each([
    ['MEDIA_MODERATION', 'sometimes', /MEDIA_MODERATION=sometimes \(expected one of required, off\)/],
    ['MEDIA_VIDEO_CONCURRENCY', '0', /MEDIA_VIDEO_CONCURRENCY=0/],
    ['MEDIA_IMAGE_DEADLINE_SECONDS', 'soon', /MEDIA_IMAGE_DEADLINE_SECONDS=soon/],
    ['MEDIA_SIGNED_URL_TTL_SECONDS', '1', /MEDIA_SIGNED_URL_TTL_SECONDS=1/],
  ])('refuses %s=%s with one line naming it', (name, value, message) => {
    expect(() => parseEnvironment({ [name]: value })).toThrow(message);
  });

  it('stores on S3 only with a bucket, and refuses half-given S3 settings', () => {
    expect(parseEnvironment({}).media.s3).toBeUndefined();
    expect(parseEnvironment({ MEDIA_S3_BUCKET: 'media', MEDIA_S3_ENDPOINT: 'http://minio:9000' }).media.s3).toEqual({
      bucket: 'media',
      endpoint: 'http://minio:9000',
      region: 'us-east-1',
      accessKeyId: undefined,
      secretAccessKey: undefined,
      forcePathStyle: true,
    });
    expect(() => parseEnvironment({ MEDIA_S3_ENDPOINT: 'http://minio:9000' })).toThrow(/MEDIA_S3_BUCKET \(required when/);
    expect(() => parseEnvironment({ MEDIA_S3_BUCKET: 'media', MEDIA_S3_ACCESS_KEY_ID: 'AKIA' })).toThrow(/MEDIA_S3_SECRET_ACCESS_KEY/);
    expect(() => parseEnvironment({ MEDIA_S3_BUCKET: 'Not_A_Bucket' })).toThrow(/MEDIA_S3_BUCKET=Not_A_Bucket/);
  });
});
