import type { Response } from 'express';

/** Server-sent events on an Express response, with back-pressure and client-disconnect detection. */
export class SseWriter {
  private readonly controller = new AbortController();

  constructor(private readonly res: Response) {
    // 'close' before the response finished = the client went away: stop the upstream call.
    res.on('close', () => {
      if (!res.writableFinished) this.controller.abort();
    });
  }

  /** Aborted when the client disconnects. */
  get signal(): AbortSignal {
    return this.controller.signal;
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
    if (!this.res.write(text)) await new Promise<void>((resolve) => this.res.once('drain', resolve).once('close', resolve));
  }

  /** One event exactly as an upstream wrote it (without its closing blank line). */
  async raw(event: string): Promise<void> {
    if (this.signal.aborted) return;
    if (!this.res.write(`${event}\n\n`)) await new Promise<void>((resolve) => this.res.once('drain', resolve).once('close', resolve));
  }

  end(): void {
    if (!this.res.writableEnded) this.res.end();
  }
}
