import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequirePermission } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { PageInfoObject } from '../../identity/graphql/user.object';
import { pageWindow } from '../graphql/paging';
import {
  AdjustTeamWalletInput,
  SetTeamBudgetAlertsInput,
  SetTeamMemberLimitsInput,
  SetTeamMonthlyCapInput,
  TeamWalletTransactionsInput,
  TransferToTeamWalletInput,
} from './team-wallet.inputs';
import {
  TeamWalletObject,
  TeamWalletTransactionObject,
  TeamWalletTransactionPageObject,
  TeamWalletTransferObject,
} from './team-wallet.objects';
import { TeamWallets, TeamWalletView } from './team-wallets.service';

/** Team wallets: seen by the team's members, funded and limited by its managers and administrators. */
@Resolver()
export class TeamWalletsResolver {
  constructor(private readonly wallets: TeamWallets) {}

  @Query(() => TeamWalletObject, { description: "The team's wallet, limits and use (members, the team's managers, admins)" })
  @RequirePermission('credits:read')
  async teamWallet(@CurrentPrincipal() principal: Principal, @Args('teamId', { type: () => ID }) teamId: string): Promise<TeamWalletObject> {
    return toObject(await this.wallets.wallet(principal, teamId));
  }

  @Query(() => TeamWalletTransactionPageObject, { description: "The wallet's movements, newest first" })
  @RequirePermission('credits:read')
  async teamWalletTransactions(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: TeamWalletTransactionsInput,
  ): Promise<TeamWalletTransactionPageObject> {
    const window = pageWindow(input);
    const { items, total } = await this.wallets.history(principal, input.teamId, window);
    return Object.assign(new TeamWalletTransactionPageObject(), {
      items: items.map(TeamWalletTransactionObject.from),
      pageInfo: PageInfoObject.of(window.page, window.perPage, total),
    });
  }

  @Mutation(() => TeamWalletTransferObject, { description: 'Admins: a signed correction of the wallet; reason required' })
  @RequirePermission('credits:adjust')
  async adjustTeamWallet(@CurrentPrincipal() principal: Principal, @Args('input') input: AdjustTeamWalletInput): Promise<TeamWalletTransferObject> {
    return transferObject(await this.wallets.adjust(principal, input));
  }

  @Mutation(() => TeamWalletTransferObject, { description: "The team's managers and admins: credits from your own balance, one ledger transaction" })
  @RequirePermission('credits:read')
  async transferToTeamWallet(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: TransferToTeamWalletInput,
  ): Promise<TeamWalletTransferObject> {
    return transferObject(await this.wallets.transfer(principal, input));
  }

  @Mutation(() => TeamWalletObject, { description: "A member's credits per day and month on the wallet (managers, admins); left out keeps, null removes" })
  @RequirePermission('credits:read')
  async setTeamMemberLimits(@CurrentPrincipal() principal: Principal, @Args('input') input: SetTeamMemberLimitsInput): Promise<TeamWalletObject> {
    return toObject(await this.wallets.setMemberLimits(principal, input));
  }

  @Mutation(() => TeamWalletObject, { description: "The wallet's spending cap per calendar month (managers, admins); null removes it" })
  @RequirePermission('credits:read')
  async setTeamMonthlyCap(@CurrentPrincipal() principal: Principal, @Args('input') input: SetTeamMonthlyCapInput): Promise<TeamWalletObject> {
    return toObject(await this.wallets.setMonthlyCap(principal, input));
  }

  @Mutation(() => TeamWalletObject, { description: "The percentages of the monthly cap that alert the team's managers (managers, admins)" })
  @RequirePermission('credits:read')
  async setTeamBudgetAlerts(@CurrentPrincipal() principal: Principal, @Args('input') input: SetTeamBudgetAlertsInput): Promise<TeamWalletObject> {
    return toObject(await this.wallets.setBudgetAlerts(principal, input));
  }
}

function toObject(view: TeamWalletView): TeamWalletObject {
  return Object.assign(new TeamWalletObject(), {
    teamId: view.teamId,
    balance: view.balance.toNumber(),
    reserved: view.reserved.toNumber(),
    available: view.balance.minus(view.reserved).toNumber(),
    monthlyCap: view.monthlyCap?.toNumber() ?? null,
    usedThisMonth: view.usedThisMonth.toNumber(),
    budgetAlertThresholds: [...view.budgetAlertThresholds],
    budgetAlertThresholdsCustom: view.budgetAlertThresholdsCustom,
    members: view.members.map((member) => ({
      userId: member.userId,
      dailyCredits: member.dailyCredits?.toNumber() ?? null,
      monthlyCredits: member.monthlyCredits?.toNumber() ?? null,
      usedToday: member.usedToday.toNumber(),
      usedThisMonth: member.usedThisMonth.toNumber(),
    })),
  });
}

function transferObject(result: { transactionId: string; replayed: boolean; view: TeamWalletView }): TeamWalletTransferObject {
  return Object.assign(new TeamWalletTransferObject(), { transactionId: result.transactionId, replayed: result.replayed, wallet: toObject(result.view) });
}
