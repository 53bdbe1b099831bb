// A minimal OpenAI chat-completions upstream for the gateway benchmark: answers at once, JSON or SSE,
// so the figures show what the hub adds, not what a model costs.
import { createServer } from 'node:http';

const TEXT = ['Hello', ' from', ' the', ' bench', ' upstream.'];
// A 1×1 PNG for image generations.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** The media benchmark's endpoints: moderation (never flags) and image generation (b64_json). */
function media(path, request) {
  if (path.endsWith('/moderations')) {
    return { id: 'modr-bench', model: 'omni-moderation-latest', results: [{ flagged: false, categories: { violence: false }, category_scores: { violence: 0 } }] };
  }
  if (path.endsWith('/images/generations')) {
    const usage = { input_tokens: 8, input_tokens_details: { image_tokens: 0, text_tokens: 8 }, output_tokens: 272, total_tokens: 280 };
    return { created: Math.floor(Date.now() / 1000), data: Array.from({ length: request.n ?? 1 }, () => ({ b64_json: PNG })), output_format: 'png', usage };
  }
  return null;
}

export async function startFakeOpenAI() {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const request = body ? JSON.parse(body) : {};
      const mediaAnswer = media(req.url ?? '', request);
      if (mediaAnswer) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(mediaAnswer));
        return;
      }
      const usage = { prompt_tokens: 12, completion_tokens: TEXT.length, total_tokens: 12 + TEXT.length };
      const base = { id: 'chatcmpl-bench', created: Math.floor(Date.now() / 1000), model: request.model ?? 'gpt-4o-mini' };
      if (!request.stream) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({
          ...base,
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: TEXT.join(''), refusal: null }, logprobs: null, finish_reason: 'stop' }],
          usage,
        }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (delta, finish, extra = {}) =>
        `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra })}\n\n`;
      let out = chunk({ role: 'assistant', content: '' }, null);
      for (const piece of TEXT) out += chunk({ content: piece }, null);
      out += chunk({}, 'stop');
      if (request.stream_options?.include_usage) out += `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [], usage })}\n\n`;
      res.end(`${out}data: [DONE]\n\n`);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/v1`;
  return { url, stop: () => new Promise((resolve) => server.close(resolve)) };
}
