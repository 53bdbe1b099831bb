import { Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsNumber, IsOptional, IsString, MaxLength } from 'class-validator';

@InputType()
export class CreateAiModelInput {
  @Field(() => ID, { description: '1 to 100 letters, digits, ".", "_", ":" or "-"' }) @IsString() @MaxLength(100) id!: string;
  @Field({ description: 'openai, anthropic or gemini' }) @IsString() @MaxLength(20) provider!: string;
  @Field({ description: 'The provider’s own model name' }) @IsString() @MaxLength(200) upstreamModel!: string;
  @Field(() => [String], { nullable: true, description: 'Default: none' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  aliases?: string[];
  @Field(() => Int) @IsInt() contextWindow!: number;
  @Field(() => Int) @IsInt() maxOutputTokens!: number;
  @Field(() => Float, { description: 'Credits per 1,000 input tokens, ≥ 0, up to 3 decimals' }) @IsNumber() inputPricePer1k!: number;
  @Field(() => Float, { description: 'Credits per 1,000 output tokens, ≥ 0, up to 3 decimals' }) @IsNumber() outputPricePer1k!: number;
  @Field({ nullable: true, description: 'Default: true' }) @IsOptional() @IsBoolean() enabled?: boolean;
  @Field(() => ID, { nullable: true, description: 'Another model of the catalogue' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  fallbackModelId?: string | null;
}

/** The model's id and only the fields to change; `fallbackModelId: null` removes the fallback. */
@InputType()
export class UpdateAiModelInput {
  @Field(() => ID) @IsString() @MaxLength(100) id!: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(20) provider?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(200) upstreamModel?: string;
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  aliases?: string[];
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() contextWindow?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() maxOutputTokens?: number;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber() inputPricePer1k?: number;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber() outputPricePer1k?: number;
  @Field({ nullable: true }) @IsOptional() @IsBoolean() enabled?: boolean;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsString() @MaxLength(100) fallbackModelId?: string | null;
}
