import { Mutation, Query, Resolver } from '@nestjs/graphql';
import { DomainError } from '@sah/domain';
import { AppConfig } from '../../../config/app-config';
import { CurrentPrincipal } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { DataExportObject } from './data-export.object';
import { DataExports } from './data-exports.service';

@Resolver()
export class DataExportResolver {
  constructor(
    private readonly exports: DataExports,
    private readonly config: AppConfig,
  ) {}

  @Mutation(() => DataExportObject, {
    description: 'Starts a GDPR export of your data (or answers the one being prepared); download it from GET /api/v1/me/export',
  })
  async exportMyData(@CurrentPrincipal() principal: Principal): Promise<DataExportObject> {
    assertSignedIn(principal);
    return DataExportObject.of(await this.exports.start(principal.userId), this.config.http.appUrl);
  }

  @Query(() => DataExportObject, { nullable: true, description: 'Your latest GDPR export, if any' })
  async myDataExport(@CurrentPrincipal() principal: Principal): Promise<DataExportObject | null> {
    assertSignedIn(principal);
    const latest = await this.exports.latest(principal.userId);
    return latest ? DataExportObject.of(latest, this.config.http.appUrl) : null;
  }
}

/** Only the account's owner in a signed-in session: not a tool holding a VERIFIED code. */
function assertSignedIn(principal: Principal): void {
  if (principal.via !== 'access_token') throw new DomainError('FORBIDDEN', 'Sign in to export your data');
}
