import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import type { ProviderKeyInfo } from '@sah/infrastructure';
import type { ProviderStatus } from '../application/provider-key-admin.service';
import { AiChannelObject } from './channel.object';

@ObjectType('AiProviderKey', { description: 'A provider credential added by an admin; the key itself is never returned' })
export class AiProviderKeyObject {
  @Field(() => ID) id!: string;
  @Field({ description: 'openai, anthropic or gemini' }) provider!: string;
  @Field(() => ID, { description: 'The channel it belongs to' }) channelId!: string;
  @Field() label!: string;
  @Field({ description: 'The key’s last four characters, to tell keys apart' }) last4!: string;
  @Field({ description: 'Disabled keys are not used by the gateway' }) enabled!: boolean;
  @Field(() => ID) createdBy!: string;
  @Field() createdAt!: Date;

  static from(key: ProviderKeyInfo): AiProviderKeyObject {
    return Object.assign(new AiProviderKeyObject(), {
      id: key.id,
      provider: key.provider,
      channelId: key.channelId,
      label: key.label,
      last4: key.last4,
      enabled: key.enabled,
      createdBy: key.createdBy,
      createdAt: key.createdAt,
    });
  }
}

@ObjectType('AiProviderHealth', { description: 'A provider as the answering API instance sees it, over its recent calls' })
export class AiProviderHealthObject {
  @Field({ description: 'openai, anthropic or gemini' }) provider!: string;
  @Field({ description: 'closed (calls flow), open (calls refused for a while) or half_open (one trial call)' }) circuit!: string;
  @Field(() => Int) consecutiveFailures!: number;
  @Field(() => Int, { description: 'The recent calls the figures are taken over' }) calls!: number;
  @Field(() => Float, { description: '0 to 1' }) errorRate!: number;
  @Field(() => Float, { nullable: true }) p50LatencyMs!: number | null;
  @Field(() => Float, { nullable: true }) p95LatencyMs!: number | null;
  @Field({ description: 'At least one enabled key, from configuration or added here' }) keyConfigured!: boolean;
  @Field(() => [AiChannelObject], {
    nullable: true,
    description: 'The protocol’s channels (the figures above are its configured channel’s), each with its own health; null on the ops dashboard',
  })
  channels?: AiChannelObject[] | null;

  static from(status: ProviderStatus, channels: AiChannelObject[] = []): AiProviderHealthObject {
    return Object.assign(new AiProviderHealthObject(), status, { channels: channels.filter((channel) => channel.protocol === status.provider) });
  }
}
