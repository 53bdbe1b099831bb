import type { Response } from 'express';
import { ClientPresence, drained, watchClient } from './client-presence';

/**
 * Server-sent events on an Express response, with back-pressure and client-disconnect detection.
 * Events written in the same turn of the event loop (the headers and a provider's first events, a
 * network read that carried several) leave in one write: each write is a system call, and an event
 * waits for nothing but the end of the turn it was written in.
 */
export class SseWriter {
  private readonly client: ClientPresence;
  private corked = false;

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
    this.gatherTurn();
    this.res.flushHeaders();
  }

  async data(payload: unknown, event?: string): Promise<void> {
    if (this.signal.aborted) return;
    const text = `${event ? `event: ${event}\n` : ''}data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}\n\n`;
    this.gatherTurn();
    if (!this.res.write(text)) await drained(this.res);
  }

  /** One event exactly as an upstream wrote it (without its closing blank line). */
  async raw(event: string): Promise<void> {
    if (this.signal.aborted) return;
    this.gatherTurn();
    if (!this.res.write(`${event}\n\n`)) await drained(this.res);
  }

  /** Ends the response (if it is not already) and stops watching the client. */
  end(): void {
    this.dispose();
    if (!this.res.writableEnded) this.res.end();
  }

  /** Holds this turn's writes back until its end (Node's cork, uncorked on the next tick). */
  private gatherTurn(): void {
    if (this.corked) return;
    this.corked = true;
    this.res.cork();
    process.nextTick(() => {
      this.corked = false;
      this.res.uncork();
    });
  }

  /** Stops watching the client, for a call that settled without streaming (a JSON answer, an error). */
  dispose(): void {
    this.client.dispose();
  }
}
