import type { DiscoveryService } from '@nestjs/core';
import { Queue } from 'bullmq';

/** Every BullMQ queue registered in this Nest app, whichever context registered it. */
export function registeredQueues(discovery: DiscoveryService): Queue[] {
  return [
    ...new Set(
      discovery
        .getProviders()
        .map((wrapper) => wrapper.instance as unknown)
        .filter((instance): instance is Queue => instance instanceof Queue),
    ),
  ];
}
