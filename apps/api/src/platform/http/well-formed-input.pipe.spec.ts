import { findMalformedInput, WellFormedInputPipe } from './well-formed-input.pipe';

describe('findMalformedInput', () => {
  it('passes well-formed text, emoji (paired surrogates) and valid dates', () => {
    expect(findMalformedInput({ name: 'Zoë 😀', at: new Date(), tags: ['a', 'b'], n: 1, none: null }, 'input')).toBeUndefined();
  });

  it.each([
    [{ name: 'a\u0000b' }, 'input.name'],
    [{ messages: [{ content: 'ok' }, { content: '\ud800' }] }, 'input.messages.1.content'],
    [{ note: 'x\udc00' }, 'input.note'],
    [{ from: new Date('not-a-date') }, 'input.from'],
  ])('names the first malformed place in %j', (value, path) => {
    expect(findMalformedInput(value, 'input')).toBe(path);
  });
});

describe('WellFormedInputPipe', () => {
  const pipe = new WellFormedInputPipe();

  it('refuses malformed caller input with BAD_USER_INPUT', () => {
    expect(() => pipe.transform({ name: 'a\u0000b' }, { type: 'body' })).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });

  it('leaves values from custom decorators alone', () => {
    expect(pipe.transform('a\u0000b', { type: 'custom' })).toBe('a\u0000b');
  });
});
