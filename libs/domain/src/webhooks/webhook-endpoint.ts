import { DomainError } from '../shared/domain-error';
import { isWebhookEventType, WebhookEventType } from './event-catalogue';

export const MAX_WEBHOOK_URL_LENGTH = 2048;
export const MAX_WEBHOOK_DESCRIPTION_LENGTH = 500;
/** After a rotation the previous secret still signs (second signature) this long, so receivers can switch. */
export const SECRET_ROTATION_OVERLAP_MS = 24 * 3_600_000;

export interface WebhookTarget {
  url: URL;
  host: string;
  port: number;
  /**
   * Plain http or a port other than 80/443: only allowed (with WEBHOOK_ALLOW_PRIVATE_URLS) when
   * every address the host resolves to is a loopback one. The address check decides that.
   */
  loopbackOnly: boolean;
}

/**
 * The URL rules checkable without resolving it: https (http only for loopback when private URLs are
 * allowed), ports 80/443, no credentials in it. Addresses are checked separately, at save and at connect.
 */
export function parseWebhookUrl(value: string, options: { allowPrivate: boolean }): WebhookTarget {
  if (value.length > MAX_WEBHOOK_URL_LENGTH)
    throw DomainError.badInput(`url must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw DomainError.badInput('url is not a valid URL', { field: 'url' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw DomainError.badInput('url must use https', { field: 'url' });
  if (url.username || url.password)
    throw DomainError.badInput('url must not contain credentials', { field: 'url' });
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const loopbackOnly = url.protocol === 'http:' || (port !== 443 && port !== 80);
  if (loopbackOnly && !options.allowPrivate) {
    throw DomainError.badInput('url must use https on port 443 (or 80)', { field: 'url' });
  }
  // URL keeps IPv6 literals in brackets; resolvers and sockets want them bare.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { url, host, port, loopbackOnly };
}

export function normaliseDescription(value: string | undefined | null): string {
  const description = (value ?? '').trim();
  if (description.length > MAX_WEBHOOK_DESCRIPTION_LENGTH) {
    throw DomainError.badInput(`description must be at most ${MAX_WEBHOOK_DESCRIPTION_LENGTH} characters`, {
      field: 'description',
    });
  }
  return description;
}

/** Subscribed types, deduplicated; an empty list means every type. */
export function normaliseEventTypes(values: readonly string[] | undefined | null): WebhookEventType[] {
  const unknown = (values ?? []).filter((value) => !isWebhookEventType(value));
  if (unknown.length > 0)
    throw DomainError.badInput(`unknown event types: ${unknown.join(', ')}`, {
      field: 'eventTypes',
      unknown,
    });
  return [...new Set(values ?? [])] as WebhookEventType[];
}

export function subscribes(eventTypes: readonly string[], type: string): boolean {
  return eventTypes.length === 0 || eventTypes.includes(type);
}

export const WEBHOOK_SECRET_PREFIX = 'whsec_';
