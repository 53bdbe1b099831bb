import { Inject, Injectable } from '@nestjs/common';
import {
  AiChannel,
  assertChannelFields,
  channelKey,
  ChannelModel,
  Credits,
  DomainError,
  isProviderName,
  parseWebhookUrl,
  PassthroughProvider,
  ProbeResult,
  ProviderName,
} from '@sah/domain';
import { AiChannelRepository, assertSafeHost, ProviderKeyInfo, UnsafeWebhookAddressError } from '@sah/infrastructure';
import { isUUID } from 'class-validator';
import { AppConfig } from '../../../config/app-config';
import type { Principal } from '../../../platform/auth/principal';
import { AuditLog } from '../../identity/application/audit-log.service';
import { ChannelDirectory } from './channel-directory';
import { ModelCatalog } from './model-catalog';
import { PASSTHROUGH_PROVIDERS } from './passthrough-gateway.service';
import { ChannelHealthReport, ProviderHealth } from './provider-health';
import { ProviderKeyAdmin } from './provider-key-admin.service';
import { ProviderKeys } from './provider-keys';

/** A channel's served model as admins write it: prices as decimals, parsed from their text. */
export interface ChannelModelFields {
  modelId: string;
  upstreamModel?: string | null;
  inputPricePer1k?: number | string | null;
  outputPricePer1k?: number | string | null;
}

export interface ChannelFields {
  name: string;
  baseUrl: string;
  priority: number;
  weight: number;
  enabled: boolean;
  models: ChannelModelFields[];
}

export interface ChannelStatus {
  channel: AiChannel;
  health: ChannelHealthReport;
  keyConfigured: boolean;
}

/**
 * Channels as admins edit them. A base URL an admin types is an address the hub will call: it is
 * checked like a webhook URL when saved (https on 443/80, every address it resolves to globally
 * routable; loopback only with WEBHOOK_ALLOW_PRIVATE_URLS) and again at every connection. Every change
 * is audited and reaches the gateway at once in this process (other instances within the cache time).
 */
@Injectable()
export class ChannelAdmin {
  private readonly probes: Map<ProviderName, PassthroughProvider>;

  constructor(
    private readonly channels: AiChannelRepository,
    private readonly directory: ChannelDirectory,
    private readonly catalog: ModelCatalog,
    private readonly keys: ProviderKeys,
    private readonly keyAdmin: ProviderKeyAdmin,
    private readonly health: ProviderHealth,
    private readonly audit: AuditLog,
    private readonly config: AppConfig,
    @Inject(PASSTHROUGH_PROVIDERS) providers: PassthroughProvider[],
  ) {
    this.probes = new Map(providers.map((provider) => [provider.protocol, provider]));
  }

  async list(): Promise<ChannelStatus[]> {
    return Promise.all((await this.channels.all()).map((channel) => this.status(channel)));
  }

  async create(principal: Principal, input: ChannelFields & { protocol: string; keys?: Array<{ label: string; apiKey: string }> }): Promise<ChannelStatus> {
    if (!isProviderName(input.protocol)) throw DomainError.badInput('protocol must be openai, anthropic or gemini', { field: 'protocol' });
    const fields = { name: input.name.trim(), priority: input.priority, weight: input.weight };
    assertChannelFields(fields);
    const baseUrl = await this.checkedBaseUrl(input.baseUrl);
    const models = await this.modelsOf(input.protocol, input.models);
    const created = await this.channels.create({ protocol: input.protocol, baseUrl, enabled: input.enabled, models, ...fields });
    for (const key of input.keys ?? []) await this.keyAdmin.add(principal, { provider: created.protocol, ...key }, created.id);
    this.directory.invalidate();
    await this.audit.record(principal.userId, 'ai_channel.created', { targetType: 'ai_channel', targetId: created.id, details: describe(created) });
    return this.status(created);
  }

  /** Only the fields given change; `models` replaces the list. A configured channel keeps the configuration's base URL. */
  async update(principal: Principal, edit: Partial<ChannelFields> & { id: string }): Promise<ChannelStatus> {
    const current = await this.found(edit.id);
    if (edit.baseUrl !== undefined && current.baseUrl === null) {
      throw DomainError.badInput('A configured channel takes its base URL from the configuration', { field: 'baseUrl' });
    }
    const name = edit.name?.trim() ?? current.name;
    assertChannelFields({ name, priority: edit.priority ?? current.priority, weight: edit.weight ?? current.weight });
    const updated = await this.channels.update(edit.id, {
      name,
      priority: edit.priority,
      weight: edit.weight,
      enabled: edit.enabled,
      ...(edit.baseUrl !== undefined ? { baseUrl: await this.checkedBaseUrl(edit.baseUrl) } : {}),
      ...(edit.models !== undefined ? { models: await this.modelsOf(current.protocol, edit.models) } : {}),
    });
    if (!updated) throw DomainError.notFound('Channel', { id: edit.id });
    this.directory.invalidate();
    await this.audit.record(principal.userId, 'ai_channel.updated', {
      targetType: 'ai_channel',
      targetId: updated.id,
      details: { before: describe(current), after: describe(updated) },
    });
    return this.status(updated);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    const current = await this.found(id);
    if (current.baseUrl === null) throw DomainError.badInput('A configured channel cannot be deleted; disable it instead', { field: 'id' });
    if (!(await this.channels.remove(id))) throw DomainError.notFound('Channel', { id });
    this.directory.invalidate();
    this.keys.invalidate();
    await this.audit.record(principal.userId, 'ai_channel.deleted', { targetType: 'ai_channel', targetId: id, details: describe(current) });
  }

  async addKey(principal: Principal, input: { channelId: string; label: string; apiKey: string }): Promise<ProviderKeyInfo> {
    const channel = await this.found(input.channelId);
    return this.keyAdmin.add(principal, { provider: channel.protocol, label: input.label, apiKey: input.apiKey }, channel.id);
  }

  /** Asks the channel's service for its model list with the channel's next key: reachable, and the key accepted? */
  async test(principal: Principal, id: string): Promise<ProbeResult> {
    const channel = await this.found(id);
    const key = await this.keys.next(channelKey(channel));
    const result: ProbeResult = key
      ? await (this.probes.get(channel.protocol) as PassthroughProvider).probe({ apiKey: key.secret, ...(channel.baseUrl !== null ? { baseUrl: channel.baseUrl } : {}) })
      : { ok: false, status: null, latencyMs: 0, message: 'The channel has no usable key' };
    await this.audit.record(principal.userId, 'ai_channel.tested', {
      targetType: 'ai_channel',
      targetId: channel.id,
      details: { ok: result.ok, status: result.status },
    });
    return result;
  }

  private async status(channel: AiChannel): Promise<ChannelStatus> {
    const key = channelKey(channel);
    return { channel, health: this.health.channelReport(key), keyConfigured: await this.keys.hasAny(key) };
  }

  private async found(id: string): Promise<AiChannel> {
    const channel = isUUID(id) ? await this.channels.byId(id) : null;
    if (!channel) throw DomainError.notFound('Channel', { id });
    return channel;
  }

  private async checkedBaseUrl(value: string): Promise<string> {
    const allowPrivate = this.config.webhooks.allowPrivateUrls;
    const target = (() => {
      try {
        return parseWebhookUrl(value.trim(), { allowPrivate });
      } catch (error) {
        if (error instanceof DomainError) throw DomainError.badInput(error.message.replace(/^url/, 'baseUrl'), { field: 'baseUrl' });
        throw error;
      }
    })();
    try {
      await assertSafeHost(target.host, { allowLoopback: allowPrivate, loopbackOnly: target.loopbackOnly });
    } catch (error) {
      if (error instanceof UnsafeWebhookAddressError) {
        throw DomainError.badInput(`baseUrl's host ${error.host} resolves to ${error.address} (${error.range}), which channels may not reach`, {
          field: 'baseUrl',
          reason: 'UNSAFE_ADDRESS',
        });
      }
      throw DomainError.badInput(`baseUrl's host could not be resolved: ${target.host}`, { field: 'baseUrl', reason: 'UNRESOLVED' });
    }
    return target.url.toString().replace(/\/+$/, '');
  }

  /** Each a catalogue model of the channel's protocol, listed once. */
  private async modelsOf(protocol: ProviderName, fields: ChannelModelFields[]): Promise<ChannelModel[]> {
    const catalogue = await this.catalog.all();
    const seen = new Set<string>();
    return fields.map((entry) => {
      const model = catalogue.find((candidate) => candidate.id === entry.modelId);
      if (!model) throw DomainError.badInput(`models: '${entry.modelId}' is not in the catalogue`, { field: 'models' });
      if (model.provider !== protocol) throw DomainError.badInput(`models: '${model.id}' is a ${model.provider} model, not ${protocol}`, { field: 'models' });
      if (seen.has(model.id)) throw DomainError.badInput(`models: '${model.id}' is listed twice`, { field: 'models' });
      seen.add(model.id);
      const upstreamModel = entry.upstreamModel?.trim() || null;
      if (upstreamModel && upstreamModel.length > 200) throw DomainError.badInput('models: upstreamModel must be at most 200 characters', { field: 'models' });
      return {
        modelId: model.id,
        upstreamModel,
        inputPrice: entry.inputPricePer1k === undefined || entry.inputPricePer1k === null ? null : Credits.parse(entry.inputPricePer1k, 'inputPricePer1k'),
        outputPrice: entry.outputPricePer1k === undefined || entry.outputPricePer1k === null ? null : Credits.parse(entry.outputPricePer1k, 'outputPricePer1k'),
      };
    });
  }
}

function describe(channel: AiChannel): Record<string, unknown> {
  return {
    protocol: channel.protocol,
    name: channel.name,
    baseUrl: channel.baseUrl,
    priority: channel.priority,
    weight: channel.weight,
    enabled: channel.enabled,
    models: channel.models.map((entry) => ({
      modelId: entry.modelId,
      upstreamModel: entry.upstreamModel,
      inputPricePer1k: entry.inputPrice?.toString() ?? null,
      outputPricePer1k: entry.outputPrice?.toString() ?? null,
    })),
  };
}
