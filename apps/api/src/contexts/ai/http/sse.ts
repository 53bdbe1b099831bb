import type { Response } from 'express';
import { ClientPresence, drained, watchClient } from './client-presence';

/** Server-sent events on an Express response, with back-pressure and client-disconnect detection. */
export class SseWriter {
  private readonly client: ClientPresence;

  constructor(private readonly res: Response) {
    this.client = watchClient(res);
  }

  /** Aborted when the client disconnects. */
  get signal(): AbortSignal {
    return this.client.signal;
  }

  /** Runs the call that opens the stream; when it is refused (402, provider error) the error filter answers, unwatched. */
  async call<T>(open: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await open(this.signal);
    } catch (error) {
      this.dispose();
      throw error;
    }
  }

  open(): void {
    this.res.status(200);
    this.res.setHeader('content-type', 'text/event-stream; charset=utf-8');
    this.res.setHeader('cache-control', 'no-cache');
    this.res.setHeader('connection', 'keep-alive');
    // Reverse proxies must pass each event on at once.
    this.res.setHeader('x-accel-buffering', 'no');
    this.res.flushHeaders();
  }

  async data(payload: unknown, event?: string): Promise<void> {
    if (this.signal.aborted) return;
    const text = `${event ? `event: ${event}\n` : ''}data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`;
    if (!this.res.write(text)) await drained(this.res);
  }

  /** One event exactly as an upstream wrote it (without its closing blank line). */
  async raw(event: string): Promise<void> {
    if (this.signal.aborted) return;
    if (!this.res.write(`${event}\n\n`)) await drained(this.res);
  }

  /** Ends the response (if it is not already) and stops watching the client. */
  end(): void {
    this.dispose();
    if (!this.res.writableEnded) this.res.end();
  }

  /** Stops watching the client, for a call that settled without streaming (a JSON answer, an error). */
  dispose(): void {
    this.client.dispose();
  }
}
