import { jsonDepthExceeds } from './json-depth';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('jsonDepthExceeds', () => {
  it('counts objects and arrays alike', () => {
    expect(jsonDepthExceeds(bytes('{"a":[{"b":[]}]}'), 4)).toBe(false);
    expect(jsonDepthExceeds(bytes('{"a":[{"b":[]}]}'), 3)).toBe(true);
    expect(jsonDepthExceeds(bytes('1'), 0)).toBe(false);
  });

  it('measures depth, not the number of brackets', () => {
    expect(jsonDepthExceeds(bytes('[[],[],[],[],[]]'), 2)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonDepthExceeds(bytes('{"a":"[[[[\\"[[[["}'), 1)).toBe(false);
    expect(jsonDepthExceeds(bytes('["\\\\",["x"]]'), 1)).toBe(true);
    expect(jsonDepthExceeds(bytes('{"ü[":"😀{"}'), 1)).toBe(false);
  });
});
