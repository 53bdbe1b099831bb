import { describeDevice } from './device-description';

describe('describeDevice', () => {
  it('names the browser with its major version and the OS', () => {
    const chrome =
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.86 Safari/537.36';
    expect(describeDevice(chrome)).toBe('Chrome 131 on macOS');
    expect(describeDevice('Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0')).toBe('Firefox 133 on Linux');
  });

  it('is null without a user agent, and for one it cannot place', () => {
    expect(describeDevice(undefined)).toBeNull();
    expect(describeDevice('')).toBeNull();
    expect(describeDevice('x'.repeat(5000))).toBeNull();
  });
});
