/** The plan of everyone without a live subscription (seeded by the plans migration, never archived). */
export const FREE_PLAN_CODE = 'free';
