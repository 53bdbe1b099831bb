import { Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../../../config/app-config';

/**
 * Short-lived links to result files. Only a job's owner is given one (by the owner-scoped queries);
 * the link itself proves the right to read, so players and `<img>` tags need no token.
 */
@Injectable()
export class SignedUrls {
  private readonly key: Buffer;

  constructor(private readonly config: AppConfig) {
    this.key = createHmac('sha256', config.encryptionKey).update('media-file-urls').digest();
  }

  urlOf(jobId: string, index: number, now = Date.now()): string {
    const expires = Math.floor(now / 1000) + this.config.media.signedUrlTtlSeconds;
    return `${this.config.http.appUrl}/api/v1/media/files/${jobId}/${index}?expires=${expires}&signature=${this.sign(jobId, index, expires)}`;
  }

  verify(jobId: string, index: number, expires: number, signature: string, now = Date.now()): boolean {
    if (!Number.isInteger(expires) || expires * 1000 < now) return false;
    const expected = Buffer.from(this.sign(jobId, index, expires));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private sign(jobId: string, index: number, expires: number): string {
    return createHmac('sha256', this.key).update(`${jobId}/${index}/${expires}`).digest('base64url');
  }
}
