import { InitialSchema1763740000000 } from './1763740000000-initial-schema';
import { Identity1763800000000 } from './1763800000000-identity';
import { Teams1763900000000 } from './1763900000000-teams';
import { Ledger1764000000000 } from './1764000000000-ledger';
import { PromoCodes1764000100000 } from './1764000100000-promo-codes';
import { Payments1764000200000 } from './1764000200000-payments';
import { LedgerFunctions1764000300000 } from './1764000300000-ledger-functions';
import { Ai1764100000000 } from './1764100000000-ai';
import { ApiKeySuspension1764200000000 } from './1764200000000-api-key-suspension';
import { Media1764300000000 } from './1764300000000-media';
import { TwoFactor1764400000000 } from './1764400000000-two-factor';
import { Webhooks1764500000000 } from './1764500000000-webhooks';
import { AiPassthrough1764600000000 } from './1764600000000-ai-passthrough';
import { LedgerOutboxEvents1764700000000 } from './1764700000000-ledger-outbox-events';
import { MediaProviders1764800000000 } from './1764800000000-media-providers';
import { DashboardRollups1796373874447 } from './1796373874447-dashboard-rollups';
import { AiGemini1796380000000 } from './1796380000000-ai-gemini';
import { AuditLogRetention1796390000000 } from './1796390000000-audit-log-retention';
import { ApiKeyRateLimit1796410000000 } from './1796410000000-api-key-rate-limit';
import { DataExports1796420000000 } from './1796420000000-data-exports';
import { ApiKeyBudgets1796430000000 } from './1796430000000-api-key-budgets';
import { AccountDeletion1796440000000 } from './1796440000000-account-deletion';
import { TeamWallets1796500000000 } from './1796500000000-team-wallets';
import { TeamInvitations1796510000010 } from './1796510000010-team-invitations';
import { SubscriptionPlans1796520000000 } from './1796520000000-subscription-plans';
import { BudgetAlerts1796530000010 } from './1796530000010-budget-alerts';
import { EncryptedPersonalData1796540000000 } from './1796540000000-encrypted-personal-data';
import { SealedDataExports1796550000000 } from './1796550000000-sealed-data-exports';
import { AiChannels1796560000000 } from './1796560000000-ai-channels';
import { TeamBudgetAlerts1796570000000 } from './1796570000000-team-budget-alerts';
import { SignInSessionDevice1796580000000 } from './1796580000000-sign-in-session-device';
import { TeamPurchases1796590000000 } from './1796590000000-team-purchases';
import { TeamSpendByIndex1796600000000 } from './1796600000000-team-spend-by-index';
import { BudgetEventsOnWholePercent1796610000000 } from './1796610000000-budget-events-on-whole-percent';
import { LedgerBatches1796620000000 } from './1796620000000-ledger-batches';
import { InlinableLedgerJson1796630000000 } from './1796630000000-inlinable-ledger-json';
import { TeamHoldBatches1796640000000 } from './1796640000000-team-hold-batches';

/** Every migration, oldest first. Listed explicitly so the build and the tests run the same set. */
export const MIGRATIONS = [
  InitialSchema1763740000000,
  Identity1763800000000,
  Teams1763900000000,
  Ledger1764000000000,
  PromoCodes1764000100000,
  Payments1764000200000,
  LedgerFunctions1764000300000,
  Ai1764100000000,
  ApiKeySuspension1764200000000,
  Media1764300000000,
  TwoFactor1764400000000,
  Webhooks1764500000000,
  AiPassthrough1764600000000,
  LedgerOutboxEvents1764700000000,
  MediaProviders1764800000000,
  DashboardRollups1796373874447,
  AiGemini1796380000000,
  AuditLogRetention1796390000000,
  ApiKeyRateLimit1796410000000,
  DataExports1796420000000,
  ApiKeyBudgets1796430000000,
  AccountDeletion1796440000000,
  TeamWallets1796500000000,
  TeamInvitations1796510000010,
  SubscriptionPlans1796520000000,
  BudgetAlerts1796530000010,
  EncryptedPersonalData1796540000000,
  SealedDataExports1796550000000,
  AiChannels1796560000000,
  TeamBudgetAlerts1796570000000,
  SignInSessionDevice1796580000000,
  TeamPurchases1796590000000,
  TeamSpendByIndex1796600000000,
  BudgetEventsOnWholePercent1796610000000,
  LedgerBatches1796620000000,
  InlinableLedgerJson1796630000000,
  TeamHoldBatches1796640000000,
];
