import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('ChatUsage')
export class ChatUsageObject {
  @Field(() => Int) inputTokens!: number;
  @Field(() => Int) outputTokens!: number;
}

@ObjectType('ChatCompletion', { description: 'A chat answered through the metered gateway' })
export class ChatCompletionObject {
  @Field(() => ID) id!: string;
  @Field({ description: 'The model that answered: the one asked for, or its fallback' }) model!: string;
  @Field() content!: string;
  @Field({ description: 'stop, length, stop_sequence or content_filter' }) finishReason!: string;
  @Field(() => ChatUsageObject) usage!: ChatUsageObject;
  @Field(() => Float, { description: 'Credits charged (up to 3 decimals)' }) credits!: number;
}

@ObjectType('ChatCompletionChunk', { description: 'Text as it is written; the last chunk (`done`) carries usage and cost' })
export class ChatCompletionChunkObject {
  @Field(() => String, { nullable: true, description: 'New text; null on the last chunk' }) delta!: string | null;
  @Field() done!: boolean;
  @Field({ description: 'The model that answers' }) model!: string;
  @Field(() => String, { nullable: true, description: 'Last chunk only' }) finishReason!: string | null;
  @Field(() => ChatUsageObject, { nullable: true, description: 'Last chunk only' }) usage!: ChatUsageObject | null;
  @Field(() => Float, { nullable: true, description: 'Last chunk only: credits charged (up to 3 decimals)' }) credits!: number | null;
}
