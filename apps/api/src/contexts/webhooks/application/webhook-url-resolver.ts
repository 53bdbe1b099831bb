import { Injectable } from '@nestjs/common';
import { Resolve, systemResolve } from '@sah/infrastructure';

/** The DNS resolver endpoints are checked and connected with; tests replace it to simulate rebinding. */
@Injectable()
export class WebhookUrlResolver {
  resolve: Resolve = systemResolve;
}
