/**
 * A value loaded on first read and reloaded once it is older than `ttlMs`. Concurrent reads share
 * one load; a load that fails is forgotten, so the next read tries again.
 */
export class ExpiringLoad<T> {
  private current?: { loadedAt: number; value: Promise<T> };

  constructor(
    private readonly load: () => Promise<T>,
    private readonly ttlMs: number,
  ) {}

  get(): Promise<T> {
    if (!this.current || Date.now() - this.current.loadedAt > this.ttlMs) {
      const entry = { loadedAt: Date.now(), value: this.load() };
      this.current = entry;
      // Only this load is forgotten: a newer one may have replaced it meanwhile.
      entry.value.catch(() => {
        if (this.current === entry) this.current = undefined;
      });
    }
    return this.current.value;
  }

  invalidate(): void {
    this.current = undefined;
  }
}
