import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { AuthPayloadObject } from '../graphql/user.object';

@InputType()
export class CompleteTwoFactorSignInInput {
  @Field({ description: 'From AuthPayload.twoFactor' }) @IsString() @MaxLength(200) challengeToken!: string;
  @Field({ description: 'The 6-digit code of the authenticator app, or an unused recovery code' })
  @IsString()
  @MaxLength(40)
  code!: string;
}

@InputType()
export class ConfirmTwoFactorInput {
  @Field({ description: 'The 6-digit code the authenticator app shows for the new secret' })
  @IsString()
  @MaxLength(40)
  code!: string;
  @Field({ nullable: true, description: 'The ENROL challenge of a sign-in, when not signed in' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  challengeToken?: string;
}

@InputType({ description: 'One of the two: a code, or the password' })
export class DisableTwoFactorInput {
  @Field({ nullable: true, description: 'A current code of the authenticator app, or an unused recovery code' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  code?: string;
  @Field({ nullable: true, description: "The account's password" })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  password?: string;
}

@ObjectType('TwoFactorEnrolment')
export class TwoFactorEnrolmentObject {
  @Field({ description: 'Base32 secret, for typing into an authenticator app' }) secret!: string;
  @Field({ description: 'otpauth:// URI, for a QR code' }) otpauthUri!: string;
}

@ObjectType('TwoFactorConfirmation')
export class TwoFactorConfirmationObject {
  @Field(() => [String], { description: 'Ten single-use recovery codes, shown this once' })
  recoveryCodes!: string[];
  @Field(() => AuthPayloadObject, {
    nullable: true,
    description: 'Tokens, when confirmed with an ENROL challenge',
  })
  session!: AuthPayloadObject | null;
}
