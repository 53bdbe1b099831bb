import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequirePermission } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { ChannelAdmin } from '../application/channel-admin.service';
import { ProviderKeyAdmin } from '../application/provider-key-admin.service';
import { AiChannelObject } from './channel.object';
import { AiProviderHealthObject, AiProviderKeyObject } from './provider-key.object';
import { AddAiProviderKeyInput } from './provider-key.inputs';

/** Provider credentials and health, for admins (`ai:manage`). */
@Resolver()
@RequirePermission('ai:manage')
export class ProviderKeysResolver {
  constructor(
    private readonly admin: ProviderKeyAdmin,
    private readonly channels: ChannelAdmin,
  ) {}

  @Query(() => [AiProviderKeyObject], { description: 'Keys added by admins (keys from configuration are not listed)' })
  async aiProviderKeys(): Promise<AiProviderKeyObject[]> {
    return (await this.admin.list()).map(AiProviderKeyObject.from);
  }

  @Mutation(() => AiProviderKeyObject, { description: 'Used by the gateway in rotation with the provider’s other keys' })
  async addAiProviderKey(@CurrentPrincipal() principal: Principal, @Args('input') input: AddAiProviderKeyInput): Promise<AiProviderKeyObject> {
    return AiProviderKeyObject.from(await this.admin.add(principal, input));
  }

  @Mutation(() => AiProviderKeyObject)
  async setAiProviderKeyEnabled(
    @CurrentPrincipal() principal: Principal,
    @Args('id', { type: () => ID }) id: string,
    @Args('enabled') enabled: boolean,
  ): Promise<AiProviderKeyObject> {
    return AiProviderKeyObject.from(await this.admin.setEnabled(principal, id, enabled));
  }

  @Mutation(() => Boolean)
  async deleteAiProviderKey(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }) id: string): Promise<boolean> {
    await this.admin.remove(principal, id);
    return true;
  }

  @Query(() => [AiProviderHealthObject])
  async aiProviderHealth(): Promise<AiProviderHealthObject[]> {
    const channels = (await this.channels.list()).map(AiChannelObject.from);
    return (await this.admin.status()).map((status) => AiProviderHealthObject.from(status, channels));
  }
}
