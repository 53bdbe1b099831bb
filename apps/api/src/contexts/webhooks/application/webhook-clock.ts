import { Injectable } from '@nestjs/common';

/**
 * The time the webhook rules go by: the failure clock (5 days, then disabled) and the previous
 * secret's 24 h overlap. A seam so tests can reach those days without waiting; the wire (signature
 * timestamps, Retry-After) and the queue's delays keep real time.
 */
@Injectable()
export class WebhookClock {
  now(): Date {
    return new Date();
  }
}
