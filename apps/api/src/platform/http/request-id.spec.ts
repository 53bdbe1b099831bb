import { chooseRequestId } from './request-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('chooseRequestId', () => {
  it('echoes a well-formed incoming id', () => {
    expect(chooseRequestId('trace-1234abcd')).toBe('trace-1234abcd');
    expect(chooseRequestId(['first-id-0001', 'second-id-0002'])).toBe('first-id-0001');
  });

  it.each([undefined, '', 'short', 'has spaces in it', 'x'.repeat(129), 'line\nbreak-injection', '<script>alert(1)</script>'])(
    'replaces %j with a fresh UUID',
    (incoming) => {
      expect(chooseRequestId(incoming)).toMatch(UUID);
    },
  );
});
