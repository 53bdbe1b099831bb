import { Injectable } from '@nestjs/common';
import { MailMessage } from '@sah/domain';

export type MailParams = Record<string, string | number>;

/**
 * Builds a mail at send time from ids, re-reading state; `null` when it no longer applies (the user
 * is gone, or already verified). May make secrets (codes, reset links): they live only in the mail.
 */
export type MailRenderer = (userId: string, params: MailParams) => Promise<MailMessage | null>;

/** Who renders which kind of mail. Contexts register at start, exactly one renderer per kind. */
@Injectable()
export class MailRenderers {
  private readonly byKind = new Map<string, MailRenderer>();

  register(kind: string, renderer: MailRenderer): void {
    if (this.byKind.has(kind)) throw new Error(`Mail kind "${kind}" has two renderers`);
    this.byKind.set(kind, renderer);
  }

  has(kind: string): boolean {
    return this.byKind.has(kind);
  }

  render(kind: string, userId: string, params: MailParams): Promise<MailMessage | null> {
    const renderer = this.byKind.get(kind);
    if (!renderer) throw new Error(`No renderer for mail kind "${kind}"`);
    return renderer(userId, params);
  }
}
