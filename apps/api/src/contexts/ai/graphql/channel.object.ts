import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import type { ChannelModel, ProbeResult } from '@sah/domain';
import type { ChannelStatus } from '../application/channel-admin.service';
import type { ChannelHealthReport } from '../application/provider-health';

@ObjectType('AiChannelModel', { description: 'A model a channel serves' })
export class AiChannelModelObject {
  @Field(() => ID) modelId!: string;
  @Field(() => String, { nullable: true, description: 'The channel’s name for it; null: the catalogue’s upstream name' }) upstreamModel!: string | null;
  @Field(() => Float, { nullable: true, description: 'What the channel costs per 1,000 input tokens; null: the model’s price' }) inputPricePer1k!: number | null;
  @Field(() => Float, { nullable: true, description: 'What the channel costs per 1,000 output tokens; null: the model’s price' }) outputPricePer1k!: number | null;

  static from(entry: ChannelModel): AiChannelModelObject {
    return Object.assign(new AiChannelModelObject(), {
      modelId: entry.modelId,
      upstreamModel: entry.upstreamModel,
      inputPricePer1k: entry.inputPrice?.toNumber() ?? null,
      outputPricePer1k: entry.outputPrice?.toNumber() ?? null,
    });
  }
}

@ObjectType('AiChannelHealth', { description: 'A channel as the answering API instance sees it, over its recent calls' })
export class AiChannelHealthObject {
  @Field({ description: 'closed (calls flow), open (calls refused for a while) or half_open (one trial call)' }) circuit!: string;
  @Field(() => Int) consecutiveFailures!: number;
  @Field(() => Int, { description: 'The recent calls the figures are taken over' }) calls!: number;
  @Field(() => Float, { description: '0 to 1' }) errorRate!: number;
  @Field(() => Float, { nullable: true }) p50LatencyMs!: number | null;
  @Field(() => Float, { nullable: true }) p95LatencyMs!: number | null;

  static from(report: ChannelHealthReport): AiChannelHealthObject {
    return Object.assign(new AiChannelHealthObject(), report);
  }
}

@ObjectType('AiChannel', { description: 'Where the gateway sends calls: a protocol, a base URL, its keys and the models it serves' })
export class AiChannelObject {
  @Field(() => ID) id!: string;
  @Field({ description: 'openai (any OpenAI-compatible service), anthropic or gemini' }) protocol!: string;
  @Field() name!: string;
  @Field(() => String, { nullable: true, description: 'Null for the protocol’s configured channel (its base URL and keys come from the configuration)' })
  baseUrl!: string | null;
  @Field({ description: 'The protocol’s configured channel: serves every model of the protocol that no channel lists' }) configured!: boolean;
  @Field(() => Int, { description: 'Lower first under priority routing' }) priority!: number;
  @Field(() => Int, { description: 'Share of traffic among equal priorities' }) weight!: number;
  @Field() enabled!: boolean;
  @Field(() => [AiChannelModelObject]) models!: AiChannelModelObject[];
  @Field({ description: 'At least one enabled key' }) keyConfigured!: boolean;
  @Field(() => AiChannelHealthObject) health!: AiChannelHealthObject;

  static from(status: ChannelStatus): AiChannelObject {
    const { channel } = status;
    return Object.assign(new AiChannelObject(), {
      id: channel.id,
      protocol: channel.protocol,
      name: channel.name,
      baseUrl: channel.baseUrl,
      configured: channel.baseUrl === null,
      priority: channel.priority,
      weight: channel.weight,
      enabled: channel.enabled,
      models: channel.models.map(AiChannelModelObject.from),
      keyConfigured: status.keyConfigured,
      health: AiChannelHealthObject.from(status.health),
    });
  }
}

@ObjectType('AiChannelTest', { description: 'What testing a channel’s connection found (its model list asked for with its next key)' })
export class AiChannelTestObject {
  @Field() ok!: boolean;
  @Field(() => Int, { nullable: true, description: 'The HTTP status of the answer; null when none came' }) status!: number | null;
  @Field(() => Int) latencyMs!: number;
  @Field() message!: string;

  static from(result: ProbeResult): AiChannelTestObject {
    return Object.assign(new AiChannelTestObject(), result);
  }
}
