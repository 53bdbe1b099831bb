import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import type { AiModel } from '@sah/domain';

@ObjectType('AiModel', { description: 'A model of the catalogue with its prices' })
export class AiModelObject {
  @Field(() => ID, { description: 'The id clients ask for' }) id!: string;
  @Field({ description: 'openai, anthropic or gemini' }) provider!: string;
  @Field({ description: 'The provider’s own name for it' }) upstreamModel!: string;
  @Field(() => [String], { description: 'Other names clients may use' }) aliases!: string[];
  @Field(() => Int) contextWindow!: number;
  @Field(() => Int) maxOutputTokens!: number;
  @Field(() => Float, { description: 'Credits per 1,000 input tokens (up to 3 decimals)' }) inputPricePer1k!: number;
  @Field(() => Float, { description: 'Credits per 1,000 output tokens (up to 3 decimals)' }) outputPricePer1k!: number;
  @Field({ description: 'Disabled models are refused before any provider call' }) enabled!: boolean;
  @Field(() => ID, { nullable: true, description: 'Answers instead when this model’s provider is down or its retries are spent' })
  fallbackModelId!: string | null;
  @Field({ description: 'How calls choose among the channels serving it: priority, cost or latency' }) routingPolicy!: string;

  static from(model: AiModel): AiModelObject {
    return Object.assign(new AiModelObject(), {
      id: model.id,
      provider: model.provider,
      upstreamModel: model.upstreamModel,
      aliases: model.aliases,
      contextWindow: model.contextWindow,
      maxOutputTokens: model.maxOutputTokens,
      inputPricePer1k: model.inputPrice.toNumber(),
      outputPricePer1k: model.outputPrice.toNumber(),
      enabled: model.enabled,
      fallbackModelId: model.fallbackModelId,
      routingPolicy: model.routingPolicy ?? 'priority',
    });
  }
}
