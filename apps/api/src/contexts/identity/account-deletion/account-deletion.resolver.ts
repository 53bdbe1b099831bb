import { Args, ID, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequirePermission } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { UserObject } from '../graphql/user.object';
import { AccountDeletionObject, DeleteMyAccountInput } from './account-deletion.graphql';
import { AccountDeletions } from './account-deletions.service';
import { AccountErasure } from './account-erasure.service';

@Resolver(() => UserObject)
export class AccountDeletionResolver {
  constructor(
    private readonly deletions: AccountDeletions,
    private readonly erasure: AccountErasure,
  ) {}

  @ResolveField(() => Date, {
    nullable: true,
    description: 'When the account is erased, if its owner asked for that',
  })
  deletionScheduledFor(@Parent() user: UserObject): Date | null {
    return user.deletionRequestedAt ? this.deletions.deleteAfter(user.deletionRequestedAt) : null;
  }

  @Mutation(() => AccountDeletionObject, {
    description:
      'Deletes your account: it stops working at once (sessions, API keys) and is erased after the grace period unless you sign in before then',
  })
  async deleteMyAccount(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: DeleteMyAccountInput,
  ): Promise<AccountDeletionObject> {
    return Object.assign(new AccountDeletionObject(), {
      deleteAfter: await this.deletions.request(principal, input),
    });
  }

  @Mutation(() => Boolean, {
    description:
      'Erases an account whose owner asked for deletion now, without waiting for the grace period. Audited',
  })
  @RequirePermission('users:manage')
  async processAccountDeletion(
    @CurrentPrincipal() principal: Principal,
    @Args('userId', { type: () => ID }) userId: string,
  ): Promise<boolean> {
    await this.erasure.processNow(principal, userId);
    return true;
  }
}
