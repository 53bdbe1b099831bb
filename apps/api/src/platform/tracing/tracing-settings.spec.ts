import { readTracingSettings } from './tracing-settings';

describe('readTracingSettings', () => {
  it('is off without an endpoint, keeping every trace outside production and 10 % in it', () => {
    expect(readTracingSettings({})).toEqual({ endpoint: undefined, sampleRatio: 1 });
    expect(readTracingSettings({ NODE_ENV: 'production' })).toEqual({ endpoint: undefined, sampleRatio: 0.1 });
  });

  it('takes an OTLP/HTTP base URL without its trailing slash, and a ratio from 0 to 1', () => {
    expect(readTracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/', OTEL_TRACES_SAMPLER_ARG: '0.25' })).toEqual({
      endpoint: 'http://collector:4318',
      sampleRatio: 0.25,
    });
    expect(readTracingSettings({ OTEL_TRACES_SAMPLER_ARG: '0' }).sampleRatio).toBe(0);
    expect(readTracingSettings({ OTEL_TRACES_SAMPLER_ARG: '1' }).sampleRatio).toBe(1);
  });

  it.each(['1.5', '-0.1', 'ten', '10%', '0x1', 'NaN'])('refuses OTEL_TRACES_SAMPLER_ARG=%s with one line naming it', (value) => {
    expect(() => readTracingSettings({ OTEL_TRACES_SAMPLER_ARG: value })).toThrow(
      `Invalid configuration: OTEL_TRACES_SAMPLER_ARG=${value} (expected a ratio from 0 to 1, such as 0.1)`,
    );
  });

  it('refuses an endpoint that is not an http(s) URL', () => {
    expect(() => readTracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(() => readTracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });
});
