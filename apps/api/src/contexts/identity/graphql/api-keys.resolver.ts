import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequirePermission } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { ApiKeysService } from '../application/api-keys.service';
import { ApiKeyObject, CreatedApiKeyObject } from './api-key.object';
import { CreateApiKeyInput, SetApiKeyLimitsInput } from './identity.inputs';

/** The caller's own API keys. */
@Resolver()
export class ApiKeysResolver {
  constructor(private readonly keys: ApiKeysService) {}

  @Query(() => [ApiKeyObject])
  @RequirePermission('api-keys:manage')
  async apiKeys(@CurrentPrincipal() principal: Principal): Promise<ApiKeyObject[]> {
    return (await this.keys.list(principal.userId)).map(ApiKeyObject.fromRow);
  }

  @Mutation(() => CreatedApiKeyObject)
  @RequirePermission('api-keys:manage')
  async createApiKey(@CurrentPrincipal() principal: Principal, @Args('input') input: CreateApiKeyInput): Promise<CreatedApiKeyObject> {
    const { key, secret } = await this.keys.create(principal, input);
    return Object.assign(new CreatedApiKeyObject(), { apiKey: ApiKeyObject.fromRow(key), secret });
  }

  @Mutation(() => CreatedApiKeyObject, { description: 'A new secret with the same name and scopes; the old key stops working' })
  @RequirePermission('api-keys:manage')
  async rotateApiKey(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }) id: string): Promise<CreatedApiKeyObject> {
    const { key, secret } = await this.keys.rotate(principal, id);
    return Object.assign(new CreatedApiKeyObject(), { apiKey: ApiKeyObject.fromRow(key), secret });
  }

  @Mutation(() => ApiKeyObject, { description: "Changes a live key's own limits; they apply from its next request" })
  @RequirePermission('api-keys:manage')
  async setApiKeyLimits(@CurrentPrincipal() principal: Principal, @Args('input') input: SetApiKeyLimitsInput): Promise<ApiKeyObject> {
    const { id, ...limits } = input;
    return ApiKeyObject.fromRow(await this.keys.setLimits(principal, id, limits));
  }

  @Mutation(() => Boolean)
  @RequirePermission('api-keys:manage')
  async revokeApiKey(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }) id: string): Promise<boolean> {
    await this.keys.revoke(principal, id);
    return true;
  }
}
