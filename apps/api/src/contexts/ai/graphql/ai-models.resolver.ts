import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { can, DomainError } from '@sah/domain';
import { ApiKeyScope, CurrentPrincipal, RequirePermission } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { AiModelAdmin } from '../application/ai-model-admin.service';
import { ModelCatalog } from '../application/model-catalog';
import { AiModelObject } from './ai-model.object';
import { CreateAiModelInput, UpdateAiModelInput } from './ai-model.inputs';
import { SetAiModelRoutingPolicyInput } from './channel.inputs';

/** The catalogue: every signed-in caller sees what they can call and its price; admins edit it (`ai:manage`). */
@Resolver()
export class AiModelsResolver {
  constructor(
    private readonly catalog: ModelCatalog,
    private readonly admin: AiModelAdmin,
  ) {}

  @Query(() => [AiModelObject], { description: 'Enabled models with their prices; admins may ask for disabled ones too' })
  @ApiKeyScope('ai.use')
  async aiModels(
    @CurrentPrincipal() principal: Principal,
    @Args('includeDisabled', { nullable: true, description: 'Admins only (ai:manage)' }) includeDisabled?: boolean,
  ): Promise<AiModelObject[]> {
    if (includeDisabled && !can(principal.role, 'ai:manage')) {
      throw new DomainError('FORBIDDEN', 'Only administrators see disabled models', { permission: 'ai:manage' });
    }
    const models = await this.catalog.all();
    return models.filter((model) => includeDisabled || model.enabled).map(AiModelObject.from);
  }

  @Mutation(() => AiModelObject)
  @RequirePermission('ai:manage')
  async createAiModel(@CurrentPrincipal() principal: Principal, @Args('input') input: CreateAiModelInput): Promise<AiModelObject> {
    return AiModelObject.from(await this.admin.create(principal, input));
  }

  @Mutation(() => AiModelObject, { description: 'Changes only the fields given; prices apply to the next call' })
  @RequirePermission('ai:manage')
  async updateAiModel(@CurrentPrincipal() principal: Principal, @Args('input') input: UpdateAiModelInput): Promise<AiModelObject> {
    return AiModelObject.from(await this.admin.update(principal, input));
  }

  @Mutation(() => AiModelObject, { description: 'priority (lowest channel priority first, weight splitting equals), cost (cheapest channel first) or latency (fastest recently)' })
  @RequirePermission('ai:manage')
  async setAiModelRoutingPolicy(@CurrentPrincipal() principal: Principal, @Args('input') input: SetAiModelRoutingPolicyInput): Promise<AiModelObject> {
    return AiModelObject.from(await this.admin.setRoutingPolicy(principal, input.modelId, input.policy));
  }
}
