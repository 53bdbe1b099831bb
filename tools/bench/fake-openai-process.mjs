// The bench's fake OpenAI upstream in a process of its own, so the pinned bench can put it on a chosen
// core (taskset). Prints its base URL on the first line of stdout and serves until killed.
import { startFakeOpenAI } from './fake-openai.mjs';

const upstream = await startFakeOpenAI();
process.stdout.write(`${upstream.url}\n`);
process.once('SIGTERM', () => void upstream.stop().then(() => process.exit(0)));
