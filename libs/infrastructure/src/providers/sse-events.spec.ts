import { sseEvents } from './sse-events';

async function collect(chunks: string[]) {
  const source = (async function* () {
    for (const chunk of chunks) yield Buffer.from(chunk);
  })();
  const events = [];
  for await (const event of sseEvents(source)) events.push(event);
  return events;
}

describe('sseEvents', () => {
  it('hands on whole events as written, however the bytes were split', async () => {
    const events = await collect(['event: message_start\nda', 'ta: {"a":1}\n', '\ndata: [DONE]\n\n']);
    expect(events).toEqual([
      { raw: 'event: message_start\ndata: {"a":1}', event: 'message_start', data: '{"a":1}' },
      { raw: 'data: [DONE]', event: undefined, data: '[DONE]' },
    ]);
  });

  it('reads CRLF line ends, comments, multi-line data and a last event without its blank line', async () => {
    const events = await collect([': keep-alive\r\n\r\ndata: a\r\ndata: b\r\n\r\n', 'data: tail']);
    expect(events.map((event) => event.data)).toEqual([undefined, 'a\nb', 'tail']);
  });

  it('keeps a character split across chunks whole', async () => {
    const bytes = Buffer.from('data: °C\n\n');
    const source = (async function* () {
      yield bytes.subarray(0, 7);
      yield bytes.subarray(7);
    })();
    const events = [];
    for await (const event of sseEvents(source)) events.push(event);
    expect(events[0]?.data).toBe('°C');
  });
});
