import { ApiKeyEntity } from './identity/api-key.entity';
import { AuditLogEntity } from './identity/audit-log.entity';
import { RefreshTokenEntity } from './identity/refresh-token.entity';
import { TeamEntity, TeamMemberEntity } from './identity/team.entity';
import { UserEntity } from './identity/user.entity';
import { IdempotencyRecordEntity } from './platform/idempotency-record.entity';
import { OutboxEventEntity } from './platform/outbox-event.entity';

export const ENTITIES = [
  IdempotencyRecordEntity,
  OutboxEventEntity,
  UserEntity,
  RefreshTokenEntity,
  ApiKeyEntity,
  AuditLogEntity,
  TeamEntity,
  TeamMemberEntity,
];
