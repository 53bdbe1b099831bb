import { Module } from '@nestjs/common';
import { AdjustmentLimits } from '../admin/adjustment-limits';
import { LedgerModule } from '../ledger.module';
import { TeamWalletAccess } from './team-wallet-access';
import { TeamWallets } from './team-wallets.service';
import { TeamWalletsResolver } from './team-wallets.resolver';

/** Team wallets and their limits (members' holds on them go through LedgerService). */
@Module({
  imports: [LedgerModule],
  // Adjustments of team wallets count against the same per-admin limits (kept in Redis) as users'.
  providers: [AdjustmentLimits, TeamWalletAccess, TeamWallets, TeamWalletsResolver],
  // Purchases for a team (payments module) are allowed by the same rules.
  exports: [TeamWalletAccess],
})
export class TeamWalletsModule {}
