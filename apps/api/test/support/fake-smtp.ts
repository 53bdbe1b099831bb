import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  raw: string;
  subject: string;
}

/** A local SMTP server speaking the real protocol; nodemailer delivers to it exactly as to a real one. */
export class FakeSmtp {
  readonly messages: ReceivedMail[] = [];
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData: (stream, session, callback) => {
      let raw = '';
      stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      stream.on('end', () => {
        const subject = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(raw)?.[1].replace(/\r\n[ \t]/g, ' ') ?? '';
        this.messages.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), raw, subject });
        callback();
      });
    },
  });
  port = 0;

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as { port: number }).port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Waits for the next message to `to` matching `subject`, after the ones already seen. */
  async waitFor(to: string, subject: RegExp, timeoutMs = 5_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = [...this.messages].reverse().find((m) => m.to.includes(to.toLowerCase()) && subject.test(m.subject));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no mail to ${to} matching ${subject}; got ${this.messages.map((m) => m.subject).join(' | ')}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** The message with quoted-printable soft breaks and escapes undone (good enough to find a link). */
  static decoded(mail: ReceivedMail): string {
    return mail.raw.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}

/** A header as written by nodemailer, its RFC 2047 encoded words (=?UTF-8?Q?…?=, used for long or quoted text) decoded. */
export function decodedHeader(value: string): string {
  return value.replace(/=\?UTF-8\?Q\?(.*?)\?=(\s+(?==\?UTF-8\?Q\?))?/gi, (_word, text: string) =>
    Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_hex, code: string) => String.fromCharCode(parseInt(code, 16))), 'latin1').toString('utf8'),
  );
}
