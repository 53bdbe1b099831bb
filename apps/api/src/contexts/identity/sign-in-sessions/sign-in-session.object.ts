import { Field, ID, ObjectType } from '@nestjs/graphql';
import type { ListedSignInSession } from './sign-in-sessions.service';

@ObjectType('SignInSession', { description: 'A signed-in browser or app: one sign-in and the token renewals since' })
export class SignInSessionObject {
  @Field(() => ID) id!: string;
  @Field({ description: 'When the sign-in happened' }) startedAt!: Date;
  @Field({ description: 'The last sign-in or token renewal (an open console renews every few minutes)' }) lastUsedAt!: Date;
  @Field({ description: 'When it ends unless renewed' }) expiresAt!: Date;
  @Field(() => String, { nullable: true, description: 'Browser and OS it began on, e.g. "Chrome 131 on macOS"; null: not recognised' })
  device!: string | null;
  @Field({ description: 'The session this request was made with' }) current!: boolean;

  static from(session: ListedSignInSession): SignInSessionObject {
    return Object.assign(new SignInSessionObject(), session);
  }
}
