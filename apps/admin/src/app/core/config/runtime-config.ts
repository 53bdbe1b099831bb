import { HttpClient } from '@angular/common/http';
import {
  DOCUMENT,
  inject,
  Injectable,
  provideAppInitializer,
  type EnvironmentProviders,
} from '@angular/core';
import { firstValueFrom } from 'rxjs';

/** Deployment-specific settings, read at start-up so one build runs behind any host or path. */
export interface RuntimeConfig {
  /** Absolute URL of the GraphQL HTTP endpoint. */
  readonly graphqlUrl: string;
  /** Absolute ws:// or wss:// URL of the graphql-ws endpoint. */
  readonly graphqlWsUrl: string;
}

/**
 * Validates the raw config.json and resolves its URLs against the page's base URL;
 * a relative WebSocket URL takes the page's scheme (http → ws, https → wss).
 */
export function parseRuntimeConfig(raw: unknown, baseUrl: string): RuntimeConfig {
  const value = (raw ?? {}) as Record<string, unknown>;
  return {
    graphqlUrl: new URL(requireString(value, 'graphqlUrl'), baseUrl).href,
    graphqlWsUrl: resolveWsUrl(requireString(value, 'graphqlWsUrl'), baseUrl),
  };
}

export function resolveWsUrl(url: string, baseUrl: string): string {
  const resolved = new URL(url, baseUrl);
  if (resolved.protocol === 'http:') resolved.protocol = 'ws:';
  else if (resolved.protocol === 'https:') resolved.protocol = 'wss:';
  if (resolved.protocol !== 'ws:' && resolved.protocol !== 'wss:') {
    throw new Error(`config.json: graphqlWsUrl must be an http(s) or ws(s) URL, got "${url}"`);
  }
  return resolved.href;
}

function requireString(value: Record<string, unknown>, key: keyof RuntimeConfig): string {
  const field = value[key];
  if (typeof field !== 'string' || field.trim() === '') {
    throw new Error(`config.json: "${key}" must be a non-empty string`);
  }
  return field;
}

@Injectable({ providedIn: 'root' })
export class RuntimeConfigStore {
  private readonly http = inject(HttpClient);
  private readonly document = inject(DOCUMENT);
  private loaded: RuntimeConfig | undefined;

  get config(): RuntimeConfig {
    if (!this.loaded) throw new Error('RuntimeConfig was read before config.json was loaded');
    return this.loaded;
  }

  /** Fetches config.json next to index.html (relative to <base href>, e.g. /admin/config.json). */
  async load(): Promise<void> {
    let raw: unknown;
    try {
      // no-store: the API rewrites this file per deployment, a stale copy would point at the wrong host.
      raw = await firstValueFrom(this.http.get<unknown>('config.json', { cache: 'no-store' }));
    } catch (error) {
      throw new Error(`Could not load config.json (${describeLoadError(error)})`, { cause: error });
    }
    this.loaded = parseRuntimeConfig(raw, this.document.baseURI);
  }
}

function describeLoadError(error: unknown): string {
  if (error && typeof error === 'object' && 'status' in error && typeof error.status === 'number') {
    return error.status === 0 ? 'the server could not be reached' : `HTTP ${error.status}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Blocks bootstrap until config.json is loaded; a failure rejects bootstrap (see boot-error.ts). */
export function provideRuntimeConfig(): EnvironmentProviders {
  return provideAppInitializer(() => inject(RuntimeConfigStore).load());
}
