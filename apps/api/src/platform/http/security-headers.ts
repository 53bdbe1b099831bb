import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Strict defaults for every response. The admin console runs under this CSP: its scripts are files
 * from our own origin; Angular Material inserts component styles at run time, hence inline styles.
 */
export function securityHeaders(options: { allowApolloSandbox: boolean }): RequestHandler {
  const strict = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'", 'data:'],
        // 'self' covers ws:/wss: to our own origin (CSP 3), which the console's graphql-ws needs; no other host.
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
  if (!options.allowApolloSandbox) return strict;

  // Development only: Apollo's sandbox page at GET /graphql loads its UI from Apollo's CDN.
  const sandbox = helmet({ contentSecurityPolicy: false, crossOriginEmbedderPolicy: false });
  return (req, res, next) =>
    req.method === 'GET' && req.path === '/graphql' && req.accepts('html') ? sandbox(req, res, next) : strict(req, res, next);
}
