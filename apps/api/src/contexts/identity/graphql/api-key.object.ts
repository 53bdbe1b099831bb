import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { ApiKeyEntity } from '@sah/infrastructure';

@ObjectType('ApiKey')
export class ApiKeyObject {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field({ description: 'The first characters of the secret, to recognise it' }) prefix!: string;
  @Field(() => [String]) scopes!: string[];
  @Field() createdAt!: Date;
  @Field() expiresAt!: Date;
  @Field(() => Date, { nullable: true }) lastUsedAt!: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: "Set when its owner's role stopped allowing its scopes; rotate or revoke it" })
  suspendedAt!: Date | null;
  @Field(() => Int, { nullable: true, description: "The key's own limit of requests per minute (beside its owner's role limit); null: none" })
  requestsPerMinute!: number | null;
  @Field(() => Float, { nullable: true, description: 'Credits the key may spend per calendar month (UTC), calls in flight included; null: no budget' })
  monthlyCreditBudget!: number | null;
  @Field(() => Int, { nullable: true, description: 'Tokens per minute the key may use; null: no limit' })
  tokensPerMinute!: number | null;
  @Field(() => ID, { nullable: true, description: "Made in this team's name: its calls spend the team's wallet; null: its owner's own credits" })
  teamId!: string | null;

  static fromRow(row: ApiKeyEntity): ApiKeyObject {
    const { keyHash: _hash, userId: _user, monthlyCreditBudget, ...visible } = row;
    return Object.assign(new ApiKeyObject(), visible, { monthlyCreditBudget: monthlyCreditBudget?.toNumber() ?? null });
  }
}

@ObjectType('CreatedApiKey')
export class CreatedApiKeyObject {
  @Field(() => ApiKeyObject) apiKey!: ApiKeyObject;
  @Field({ description: 'Shown once: only its hash is stored' }) secret!: string;
}
