/** A server started (or found running) for local development. `stop` only stops what we started. */
export interface LocalService {
  url: string;
  stop(): Promise<void>;
}
