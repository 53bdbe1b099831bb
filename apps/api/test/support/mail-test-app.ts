import { FakeSmtp } from './fake-smtp';
import { TcpProxy } from './tcp-proxy';
import { startTestApp, TestApp } from './test-app';

export interface MailTestApp {
  api: TestApp;
  smtp: FakeSmtp;
  /** Between the app and the fake SMTP server: `blackhole()` stalls the relay, `restore()` lets mail through. */
  proxy: TcpProxy;
  close(): Promise<void>;
}

/**
 * The app with its SMTP relay behind a proxy, and deadlines short enough to meet a stalled relay
 * quickly. The socket deadline is roomier, so a busy test process does not cut a transfer the server
 * already accepted (that would send a mail twice).
 */
export async function startMailTestApp(overrides: Record<string, string>): Promise<MailTestApp> {
  const smtp = new FakeSmtp();
  await smtp.start();
  const proxy = TcpProxy.forUrl(smtp.url, 25);
  await proxy.start();
  const api = await startTestApp({
    SMTP_URL: proxy.rewrite(smtp.url),
    SMTP_CONNECTION_TIMEOUT_MS: '500',
    SMTP_GREETING_TIMEOUT_MS: '500',
    SMTP_SOCKET_TIMEOUT_MS: '3000',
    ...overrides,
  });
  return {
    api,
    smtp,
    proxy,
    close: async () => {
      await api.close();
      await proxy.cut();
      await smtp.stop();
    },
  };
}
