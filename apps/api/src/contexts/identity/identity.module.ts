import { Global, Injectable, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TwoFactorRepository, UserRepository } from '@sah/domain';
import {
  AccountErasureStore,
  ApiKeyRepository,
  AttemptCounter,
  AuditLogRepository,
  ExpiringSecretStore,
  RefreshTokenStore,
  SecretBox,
  SlidingWindowRateLimiter,
  TeamRepository,
  TypeOrmTwoFactorRepository,
  TypeOrmUserRepository,
  UserDirectoryQuery,
  UserPersonalDataCodec,
} from '@sah/infrastructure';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { repositoryProvider } from '../../platform/database/database.module';
import { AccountDeletionController } from './account-deletion/account-deletion.controller';
import { AccountDeletionResolver } from './account-deletion/account-deletion.resolver';
import { AccountDeletions } from './account-deletion/account-deletions.service';
import { AccountErasers } from './account-deletion/account-erasers';
import { AccountErasure } from './account-deletion/account-erasure.service';
import { AccountsService } from './application/accounts.service';
import { ApiKeysService } from './application/api-keys.service';
import { AuditLog } from './application/audit-log.service';
import { AuditLogRetention } from './application/audit-log-retention';
import { EmailVerification } from './application/email-verification.service';
import { IdentityMails } from './application/identity-mails';
import { FIFTEEN_MINUTES_MS, IdentityStores } from './application/identity-stores';
import { PasswordHasher } from './application/password-hasher';
import { SessionTokens } from './application/session-tokens.service';
import { SignInService } from './application/sign-in.service';
import { UserAdminService } from './application/user-admin.service';
import { AccessTokens, jwtOptions } from './auth/access-tokens';
import { AdminTwoFactorGuard } from './auth/admin-two-factor.guard';
import { AuthGuard } from './auth/auth.guard';
import { ApiKeyPrincipalCache } from './auth/api-key-principal.cache';
import { AuthStateCache } from './auth/auth-state.cache';
import { RateLimitGuard } from './auth/rate-limit.guard';
import { ApiKeysResolver } from './graphql/api-keys.resolver';
import { AuditLogResolver } from './graphql/audit-log.resolver';
import { AuthResolver } from './graphql/auth.resolver';
import { UsersResolver } from './graphql/users.resolver';
import { TeamsResolver } from './teams/teams.resolver';
import { TeamMembershipModule } from './teams/team-membership.module';
import { personalDataCodec } from './personal-data/personal-data-codec';
import { SignInSessions } from './sign-in-sessions/sign-in-sessions.service';
import { SignInSessionsResolver } from './sign-in-sessions/sign-in-sessions.resolver';
import { TeamsService } from './teams/teams.service';
import { TwoFactorChallenges } from './two-factor/two-factor-challenges';
import { TwoFactorResolver } from './two-factor/two-factor.resolver';
import { TwoFactorService } from './two-factor/two-factor.service';

@Injectable()
class IdentityLifecycle implements OnApplicationBootstrap {
  constructor(private readonly accounts: AccountsService) {}

  onApplicationBootstrap(): Promise<void> {
    return this.accounts.ensureBootstrapAdmin();
  }
}

/**
 * The identity bounded context: accounts, verification, sign-in and tokens, API keys, roles, audit.
 * Global so every context can inject the guard's collaborators and the audit log.
 */
@Global()
@Module({
  imports: [JwtModule.registerAsync({ inject: [AppConfig], useFactory: jwtOptions }), TeamMembershipModule],
  controllers: [AccountDeletionController],
  providers: [
    { provide: UserPersonalDataCodec, inject: [AppConfig], useFactory: personalDataCodec },
    {
      provide: UserRepository,
      inject: [DataSource, UserPersonalDataCodec],
      useFactory: (ds: DataSource, codec: UserPersonalDataCodec) => new TypeOrmUserRepository(ds, codec),
    },
    repositoryProvider(RefreshTokenStore, (ds) => new RefreshTokenStore(ds)),
    repositoryProvider(ApiKeyRepository, (ds) => new ApiKeyRepository(ds)),
    repositoryProvider(AuditLogRepository, (ds) => new AuditLogRepository(ds)),
    {
      provide: UserDirectoryQuery,
      inject: [DataSource, UserPersonalDataCodec],
      useFactory: (ds: DataSource, codec: UserPersonalDataCodec) => new UserDirectoryQuery(ds, codec),
    },
    repositoryProvider(TeamRepository, (ds) => new TeamRepository(ds)),
    repositoryProvider(AccountErasureStore, (ds) => new AccountErasureStore(ds)),
    {
      provide: TwoFactorRepository,
      inject: [DataSource, AppConfig],
      useFactory: (ds: DataSource, config: AppConfig) => new TypeOrmTwoFactorRepository(ds, new SecretBox(config.encryptionKey, config.previousEncryptionKeys)),
    },
    TwoFactorChallenges,
    TwoFactorService,
    AuditLogRetention,
    {
      provide: IdentityStores,
      inject: [Redis],
      useFactory: (redis: Redis) =>
        new IdentityStores(
          new ExpiringSecretStore(redis, 'identity:verification-code'),
          new AttemptCounter(redis, 'identity:verification-attempts', FIFTEEN_MINUTES_MS),
          new AttemptCounter(redis, 'identity:login-failures:account', FIFTEEN_MINUTES_MS),
          new AttemptCounter(redis, 'identity:login-failures:ip', FIFTEEN_MINUTES_MS),
          new ExpiringSecretStore(redis, 'identity:password-reset'),
          new ExpiringSecretStore(redis, 'identity:cooldown'),
        ),
    },
    PasswordHasher,
    AccessTokens,
    AuthStateCache,
    ApiKeyPrincipalCache,
    SessionTokens,
    SignInSessions,
    AuditLog,
    EmailVerification,
    IdentityMails,
    AccountsService,
    SignInService,
    ApiKeysService,
    UserAdminService,
    TeamsService,
    AccountErasers,
    AccountDeletions,
    AccountErasure,
    IdentityLifecycle,
    { provide: SlidingWindowRateLimiter, inject: [Redis], useFactory: (redis: Redis) => new SlidingWindowRateLimiter(redis) },
    // Order matters: the rate limit needs the principal the auth guard establishes.
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: AdminTwoFactorGuard },
    AuthResolver,
    ApiKeysResolver,
    UsersResolver,
    AuditLogResolver,
    TeamsResolver,
    TwoFactorResolver,
    AccountDeletionResolver,
    SignInSessionsResolver,
  ],
  exports: [AuditLog, ApiKeysService, UserRepository, UserPersonalDataCodec, SignInService, AccountsService, PasswordHasher, AuthStateCache, AccessTokens, TeamsService, SlidingWindowRateLimiter, TwoFactorService, TwoFactorChallenges, AccountErasers, AccountDeletions],
})
export class IdentityModule {}
