import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { IsOptional, IsString, MaxLength } from 'class-validator';

@InputType({ description: 'Your password, or a code where two-factor authentication is on' })
export class DeleteMyAccountInput {
  @Field({ nullable: true, description: "The account's password" })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  password?: string;
  @Field({
    nullable: true,
    description: 'A current code of the authenticator app, or an unused recovery code',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  code?: string;
}

@ObjectType('AccountDeletion', { description: 'A scheduled deletion of your account' })
export class AccountDeletionObject {
  @Field({ description: 'When the account and its personal data are erased, unless you sign in before then' })
  deleteAfter!: Date;
}
