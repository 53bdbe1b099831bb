import { Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsNumber, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';

@InputType()
export class AiChannelModelInput {
  @Field(() => ID, { description: 'A catalogue model of the channel’s protocol' }) @IsString() @MaxLength(100) modelId!: string;
  @Field(() => String, { nullable: true, description: 'The channel’s name for the model; default: the catalogue’s upstream name' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  upstreamModel?: string | null;
  @Field(() => Float, { nullable: true, description: 'What the channel costs per 1,000 input tokens (for cost routing); default: the model’s price' })
  @IsOptional()
  @IsNumber()
  inputPricePer1k?: number | null;
  @Field(() => Float, { nullable: true, description: 'What the channel costs per 1,000 output tokens; default: the model’s price' })
  @IsOptional()
  @IsNumber()
  outputPricePer1k?: number | null;
}

@InputType()
export class AiChannelKeyInput {
  @Field({ description: 'To tell keys apart, 1 to 100 characters' }) @IsString() @MaxLength(100) label!: string;
  @Field({ description: 'Stored encrypted; never returned' }) @IsString() @MaxLength(500) apiKey!: string;
}

@InputType()
export class CreateAiChannelInput {
  @Field({ description: 'openai (any OpenAI-compatible service), anthropic or gemini' }) @IsString() @MaxLength(20) protocol!: string;
  @Field({ description: '1 to 100 characters, unique' }) @IsString() @MaxLength(100) name!: string;
  @Field({ description: 'As the official SDKs take it (OpenAI’s with /v1); https, and every address it resolves to public' })
  @IsString()
  @MaxLength(2048)
  baseUrl!: string;
  @Field(() => Int, { nullable: true, description: 'Lower first under priority routing, 0 to 1,000,000; default 0' }) @IsOptional() @IsInt() priority?: number;
  @Field(() => Int, { nullable: true, description: 'Share of traffic among equal priorities, 1 to 10,000; default 1' }) @IsOptional() @IsInt() weight?: number;
  @Field({ nullable: true, description: 'Default: true' }) @IsOptional() @IsBoolean() enabled?: boolean;
  @Field(() => [AiChannelModelInput], { description: 'The models it serves' })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => AiChannelModelInput)
  models!: AiChannelModelInput[];
  @Field(() => [AiChannelKeyInput], { nullable: true, description: 'Its keys, used in rotation; more can be added later' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => AiChannelKeyInput)
  keys?: AiChannelKeyInput[];
}

/** The channel's id and only the fields to change; `models` replaces the list. */
@InputType()
export class UpdateAiChannelInput {
  @Field(() => ID) @IsString() @MaxLength(100) id!: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) name?: string;
  @Field({ nullable: true, description: 'Not for a configured channel' }) @IsOptional() @IsString() @MaxLength(2048) baseUrl?: string;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() priority?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() weight?: number;
  @Field({ nullable: true }) @IsOptional() @IsBoolean() enabled?: boolean;
  @Field(() => [AiChannelModelInput], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => AiChannelModelInput)
  models?: AiChannelModelInput[];
}

@InputType()
export class AddAiChannelKeyInput {
  @Field(() => ID) @IsString() @MaxLength(100) channelId!: string;
  @Field({ description: 'To tell keys apart, 1 to 100 characters' }) @IsString() @MaxLength(100) label!: string;
  @Field({ description: 'Stored encrypted; never returned' }) @IsString() @MaxLength(500) apiKey!: string;
}

@InputType()
export class SetAiModelRoutingPolicyInput {
  @Field(() => ID) @IsString() @MaxLength(100) modelId!: string;
  @Field({ description: 'priority, cost or latency' }) @IsString() @MaxLength(20) policy!: string;
}
