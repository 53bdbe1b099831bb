import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import type { Principal } from '../auth/principal';
import { FailedMailObject } from './failed-mail.object';
import { FAILED_MAILS_LIMIT, FailedMails } from './failed-mails.service';

@Resolver()
export class FailedMailsResolver {
  constructor(private readonly mails: FailedMails) {}

  @Query(() => [FailedMailObject], { description: `Mails whose attempts are used up, newest first (at most ${FAILED_MAILS_LIMIT}; admins)` })
  @RequirePermission('users:manage')
  failedMails(): Promise<FailedMailObject[]> {
    return this.mails.list();
  }

  @Mutation(() => FailedMailObject, { description: 'Sends a failed mail again with fresh attempts (admins; audited). Answers with the mail as it was' })
  @RequirePermission('users:manage')
  retryFailedMail(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }) id: string): Promise<FailedMailObject> {
    return this.mails.retry(principal, id);
  }
}
