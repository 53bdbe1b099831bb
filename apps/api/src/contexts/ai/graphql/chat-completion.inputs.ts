import { Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import type { ChatRequest } from '@sah/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

/** Long prompts are the context window's to refuse (with its own clear error), not a field limit's. */
const MAX_TEXT = 2_000_000;

@InputType()
export class ChatMessageInput {
  @Field({ description: 'user or assistant (system instructions go in `system`)' }) @IsIn(['user', 'assistant']) role!: 'user' | 'assistant';
  @Field() @IsString() @MaxLength(MAX_TEXT) content!: string;
}

@InputType()
export class ChatCompletionInput {
  @Field({ description: 'A model id or alias from aiModels' }) @IsString() @MaxLength(100) model!: string;
  @Field(() => [ChatMessageInput])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => ChatMessageInput)
  messages!: ChatMessageInput[];
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(MAX_TEXT) system?: string;
  @Field(() => Int, { nullable: true, description: 'Default: the model’s limit, capped by the hub’s default' })
  @IsOptional()
  @IsInt()
  @Min(1)
  maxTokens?: number;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber() @Min(0) @Max(2) temperature?: number;
  @Field(() => ID, { nullable: true, description: "A team you belong to: the call spends the team's wallet, within its limits; null: your own credits" })
  @IsOptional()
  @IsUUID()
  teamId?: string | null;
}

export function toChatRequest(input: ChatCompletionInput): ChatRequest {
  return {
    model: input.model,
    system: input.system ?? undefined,
    messages: input.messages.map((message) => ({ role: message.role, content: message.content })),
    maxTokens: input.maxTokens ?? undefined,
    temperature: input.temperature ?? undefined,
  };
}
