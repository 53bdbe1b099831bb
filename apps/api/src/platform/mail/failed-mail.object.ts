import { Field, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('FailedMail', { description: 'A mail whose every attempt failed (dead-lettered); it holds no message text' })
export class FailedMailObject {
  @Field(() => ID) id!: string;
  @Field({ description: 'What mail it is, e.g. identity.verification-code' }) kind!: string;
  @Field(() => ID) userId!: string;
  @Field(() => String, { nullable: true, description: 'The user’s address now; null if the user is gone' }) recipient!: string | null;
  @Field(() => Int) attempts!: number;
  @Field({ description: 'Why the last attempt failed' }) error!: string;
  @Field() queuedAt!: Date;
  @Field(() => Date, { nullable: true }) failedAt!: Date | null;
}
