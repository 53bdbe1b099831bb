import Bowser from 'bowser';

/** Long enough for any real browser's user agent; the parser's regular expressions never see more. */
const MAX_USER_AGENT = 512;
const MAX_DESCRIPTION = 120;

/**
 * "Chrome 131 on macOS" from a user agent, or null when neither browser nor OS is recognised. Only
 * the coarse description is kept (the user recognises their device by it); the raw string is not.
 */
export function describeDevice(userAgent: string | undefined): string | null {
  if (!userAgent) return null;
  const parsed = Bowser.parse(userAgent.slice(0, MAX_USER_AGENT));
  const major = parsed.browser.version?.split('.')[0];
  const browser = parsed.browser.name ? [parsed.browser.name, major].filter(Boolean).join(' ') : undefined;
  const os = parsed.os.name;
  const description = browser && os ? `${browser} on ${os}` : (browser ?? os);
  return description ? description.slice(0, MAX_DESCRIPTION) : null;
}
