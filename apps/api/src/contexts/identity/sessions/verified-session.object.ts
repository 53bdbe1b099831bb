import { Field, ID, ObjectType } from '@nestjs/graphql';
import type { VerifiedSession } from './verified-session.store';

/** A VERIFIED session as its user sees it: never the code, which was shown once. */
@ObjectType('VerifiedSession')
export class VerifiedSessionObject {
  @Field(() => ID) id!: string;
  @Field({ description: 'The id the third-party tool passed as ?session=' }) externalSessionId!: string;
  @Field() createdAt!: Date;
  @Field() expiresAt!: Date;

  static fromSession(session: VerifiedSession): VerifiedSessionObject {
    return Object.assign(new VerifiedSessionObject(), {
      id: session.id,
      externalSessionId: session.externalSessionId,
      createdAt: session.createdAt,
      expiresAt: session.expiresAt,
    });
  }
}
