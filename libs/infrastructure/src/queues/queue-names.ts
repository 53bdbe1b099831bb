/** Queue and job names, declared once: producers and processors import them from here. */
export const QUEUES = {
  maintenance: 'maintenance',
} as const;

export const MAINTENANCE_JOBS = {
  purgeExpiredRows: 'purge-expired-rows',
} as const;

export type MaintenanceJobName = (typeof MAINTENANCE_JOBS)[keyof typeof MAINTENANCE_JOBS];

export interface PurgeExpiredRowsPayload {
  /** Rows deleted per statement. */
  batchSize: number;
}

export interface PurgeExpiredRowsResult {
  idempotencyRecords: number;
}
