import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequirePermission } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { ChannelAdmin } from '../application/channel-admin.service';
import { AddAiChannelKeyInput, CreateAiChannelInput, UpdateAiChannelInput } from './channel.inputs';
import { AiChannelObject, AiChannelTestObject } from './channel.object';
import { AiProviderKeyObject } from './provider-key.object';

/** Channels and their keys, for admins (`ai:manage`). */
@Resolver()
@RequirePermission('ai:manage')
export class ChannelsResolver {
  constructor(private readonly admin: ChannelAdmin) {}

  @Query(() => [AiChannelObject], { description: 'Every channel, with its health as this instance sees it' })
  async aiChannels(): Promise<AiChannelObject[]> {
    return (await this.admin.list()).map(AiChannelObject.from);
  }

  @Mutation(() => AiChannelObject, { description: 'Its base URL is refused (BAD_USER_INPUT, reason UNSAFE_ADDRESS) when it reaches a private address' })
  async createAiChannel(@CurrentPrincipal() principal: Principal, @Args('input') input: CreateAiChannelInput): Promise<AiChannelObject> {
    return AiChannelObject.from(
      await this.admin.create(principal, { ...input, priority: input.priority ?? 0, weight: input.weight ?? 1, enabled: input.enabled ?? true }),
    );
  }

  @Mutation(() => AiChannelObject, { description: 'Changes only the fields given' })
  async updateAiChannel(@CurrentPrincipal() principal: Principal, @Args('input') input: UpdateAiChannelInput): Promise<AiChannelObject> {
    return AiChannelObject.from(await this.admin.update(principal, input));
  }

  @Mutation(() => Boolean, { description: 'With its keys; a configured channel cannot be deleted (disable it)' })
  async deleteAiChannel(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }) id: string): Promise<boolean> {
    await this.admin.remove(principal, id);
    return true;
  }

  @Mutation(() => AiProviderKeyObject, { description: 'Used in rotation with the channel’s other keys; disable or delete it like any provider key' })
  async addAiChannelKey(@CurrentPrincipal() principal: Principal, @Args('input') input: AddAiChannelKeyInput): Promise<AiProviderKeyObject> {
    return AiProviderKeyObject.from(await this.admin.addKey(principal, input));
  }

  @Mutation(() => AiChannelTestObject, { description: 'Asks the channel for its model list with its next key (free)' })
  async testAiChannel(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }) id: string): Promise<AiChannelTestObject> {
    return AiChannelTestObject.from(await this.admin.test(principal, id));
  }
}
