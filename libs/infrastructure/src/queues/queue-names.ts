/** Queue and job names, declared once: producers and processors import them from here. */
export const QUEUES = {
  maintenance: 'maintenance',
  billing: 'billing',
  mail: 'mail',
  mediaImage: 'media-image',
  mediaVideo: 'media-video',
  operations: 'operations',
  dataExport: 'data-export',
} as const;

export const MAIL_JOBS = {
  send: 'send',
} as const;

/**
 * One mail to send: what kind and whom it concerns, never its secrets. The processor renders it at
 * send time (codes and reset links are made then), so neither the job nor the outbox holds them.
 */
export interface SendMailPayload {
  kind: string;
  userId: string;
  params: Record<string, string | number>;
}

/**
 * The ledger's housekeeping: holds past their expiry are released, lapsed credits expired, promo
 * redemptions a crash left unpaid are paid.
 */
export const BILLING_JOBS = {
  releaseExpiredHolds: 'release-expired-holds',
  expireLapsedCredits: 'expire-lapsed-credits',
  completeUnpaidRedemptions: 'complete-unpaid-redemptions',
} as const;

export type BillingJobName = (typeof BILLING_JOBS)[keyof typeof BILLING_JOBS];

export const MAINTENANCE_JOBS = {
  purgeExpiredRows: 'purge-expired-rows',
} as const;

export type MaintenanceJobName = (typeof MAINTENANCE_JOBS)[keyof typeof MAINTENANCE_JOBS];

export interface PurgeExpiredRowsPayload {
  /** Rows deleted per statement. */
  batchSize: number;
}

/** Rows deleted, by the name each owner registered its purge under (e.g. `stripeEvents`). */
export type PurgeExpiredRowsResult = Record<string, number>;

export const MEDIA_JOBS = {
  /** One media job, moved along its state machine; polls are the same job delayed. */
  run: 'run',
} as const;

/** Ids only: the processor re-reads the job's state from the database. The BullMQ job id is `mediaJobId`. */
export interface MediaJobPayload {
  mediaJobId: string;
}

/** Reports for the people running the hub. */
export const OPERATIONS_JOBS = {
  dailySummary: 'daily-summary',
} as const;

/** The UTC day to report (YYYY-MM-DD); the scheduled job leaves it out and reports the day before it ran. */
export interface DailySummaryPayload {
  day?: string;
}

export const DATA_EXPORT_JOBS = {
  /** Builds one GDPR export; the BullMQ job id is the export's. */
  build: 'build',
} as const;

/** The id only: the processor re-reads the export and skips one that is no longer pending. */
export interface DataExportPayload {
  exportId: string;
}
