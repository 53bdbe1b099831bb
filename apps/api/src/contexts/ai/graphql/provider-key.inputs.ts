import { Field, InputType } from '@nestjs/graphql';
import { IsString, MaxLength } from 'class-validator';

@InputType()
export class AddAiProviderKeyInput {
  @Field({ description: 'openai, anthropic or gemini' }) @IsString() @MaxLength(20) provider!: string;
  @Field({ description: 'To tell keys apart, 1 to 100 characters' }) @IsString() @MaxLength(100) label!: string;
  @Field({ description: 'Stored encrypted; never returned' }) @IsString() @MaxLength(500) apiKey!: string;
}
