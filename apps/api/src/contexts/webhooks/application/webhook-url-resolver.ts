import { Injectable } from '@nestjs/common';
import { LookupAddress } from 'node:dns';
import { systemResolve } from '@sah/infrastructure';

/** The DNS resolver endpoints are checked and connected with (one seam: tests simulate rebinding through it). */
@Injectable()
export class WebhookUrlResolver {
  resolve(hostname: string): Promise<LookupAddress[]> {
    return systemResolve(hostname);
  }
}
