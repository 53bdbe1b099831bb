export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long it stays open before one trial call is let through. */
  openMs: number;
}

/**
 * One provider's circuit: after `failureThreshold` failures in a row calls stop going out for
 * `openMs`; then one trial call decides whether it closes again. Time is passed in, so the rules
 * are plain and testable.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private state: CircuitState = 'closed';
  private trialInFlight = false;

  constructor(private readonly options: CircuitOptions) {}

  stateAt(now: number): CircuitState {
    if (this.state === 'open' && now - this.openedAt >= this.options.openMs) return 'half_open';
    return this.state;
  }

  /** Whether a call may go out now; in half-open state only one trial at a time. */
  allows(now: number): boolean {
    const state = this.stateAt(now);
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.state = 'half_open';
    this.trialInFlight = true;
    return true;
  }

  recordSuccess(): void {
    this.failures = 0;
    this.state = 'closed';
    this.trialInFlight = false;
  }

  recordFailure(now: number): void {
    this.trialInFlight = false;
    this.failures += 1;
    if (this.state === 'half_open' || this.failures >= this.options.failureThreshold) {
      this.state = 'open';
      this.openedAt = now;
    }
  }

  get consecutiveFailures(): number {
    return this.failures;
  }
}
