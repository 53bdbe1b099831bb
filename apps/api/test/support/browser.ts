interface StoredCookie {
  value: string;
  path: string;
}

/**
 * Just enough of a browser for redirect flows: keeps cookies per origin (honouring Path, Max-Age and
 * Expires), follows redirects one visible hop at a time, and resolves host names the way /etc/hosts
 * would, so the app's public APP_URL reaches the test server.
 */
export class Browser {
  /** Every URL requested, in order, as the browser's address bar would show it. */
  readonly visited: string[] = [];
  private jar = new Map<string, Map<string, StoredCookie>>();

  constructor(private readonly hosts: Readonly<Record<string, string>> = {}) {}

  setCookie(url: string, name: string, value: string, path = '/'): void {
    this.cookiesOf(new URL(url).origin).set(name, { value, path });
  }

  cookie(url: string, name: string): string | undefined {
    return this.jar.get(new URL(url).origin)?.get(name)?.value;
  }

  /** A copy of the cookie jar, to put back later (replaying what an attacker could have kept). */
  saveCookies(): () => void {
    const saved = new Map([...this.jar].map(([origin, cookies]) => [origin, new Map(cookies)]));
    return () => {
      this.jar = new Map([...saved].map(([origin, cookies]) => [origin, new Map(cookies)]));
    };
  }

  /** One request, redirects not followed. */
  async open(url: string): Promise<Response> {
    this.visited.push(url);
    const target = new URL(url);
    const cookies = [...(this.jar.get(target.origin) ?? new Map<string, StoredCookie>())]
      .filter(([, cookie]) => target.pathname.startsWith(cookie.path))
      .map(([name, cookie]) => `${name}=${cookie.value}`);
    const response = await fetch(this.resolve(target), {
      redirect: 'manual',
      headers: cookies.length > 0 ? { cookie: cookies.join('; ') } : {},
    });
    for (const header of response.headers.getSetCookie()) this.store(target, header);
    return response;
  }

  /** Follows redirects to the page where the browser stops. */
  async navigate(url: string, maxRedirects = 10): Promise<Response> {
    let current = url;
    for (let hop = 0; hop <= maxRedirects; hop++) {
      const response = await this.open(current);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return response;
      await response.arrayBuffer();
      current = new URL(location, current).toString();
    }
    throw new Error(`more than ${maxRedirects} redirects from ${url}`);
  }

  private resolve(url: URL): string {
    const origin = this.hosts[url.origin];
    return origin ? `${origin}${url.pathname}${url.search}` : url.toString();
  }

  private cookiesOf(origin: string): Map<string, StoredCookie> {
    let cookies = this.jar.get(origin);
    if (!cookies) this.jar.set(origin, (cookies = new Map()));
    return cookies;
  }

  private store(url: URL, header: string): void {
    const [pair, ...attributes] = header.split(';').map((part) => part.trim());
    const [name, ...value] = pair.split('=');
    const attribute = (key: string) =>
      attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
    const maxAge = attribute('max-age');
    const expires = attribute('expires');
    const cookies = this.cookiesOf(url.origin);
    if (
      (maxAge !== undefined && Number(maxAge) <= 0) ||
      (expires !== undefined && Date.parse(expires) <= Date.now())
    ) {
      cookies.delete(name);
    } else {
      cookies.set(name, { value: value.join('='), path: attribute('path') ?? '/' });
    }
  }
}
