import { Injectable } from '@nestjs/common';
import { DomainError, isProviderName, PROVIDERS, ProviderName } from '@sah/domain';
import { ProviderKeyInfo, ProviderKeyRepository } from '@sah/infrastructure';
import { isUUID } from 'class-validator';
import type { Principal } from '../../../platform/auth/principal';
import { AuditLog } from '../../identity/application/audit-log.service';
import { ProviderHealth, ProviderHealthReport } from './provider-health';
import { ProviderKeys } from './provider-keys';

export interface ProviderStatus extends ProviderHealthReport {
  /** At least one usable key, from configuration or the database. */
  keyConfigured: boolean;
}

/**
 * Provider credentials managed by admins. A key is encrypted before it is stored and never leaves
 * the API again: answers and the audit log carry its label and last four characters only. Changes
 * reach the gateway at once in this process (other instances within the key cache time).
 */
@Injectable()
export class ProviderKeyAdmin {
  constructor(
    private readonly keys: ProviderKeyRepository,
    private readonly gatewayKeys: ProviderKeys,
    private readonly health: ProviderHealth,
    private readonly audit: AuditLog,
  ) {}

  list(): Promise<ProviderKeyInfo[]> {
    return this.keys.list();
  }

  /** A key of the given channel (whose protocol `provider` is), else of the provider's configured channel. */
  async add(principal: Principal, request: { provider: string; label: string; apiKey: string }, channelId?: string): Promise<ProviderKeyInfo> {
    if (!isProviderName(request.provider)) throw DomainError.badInput('provider must be openai, anthropic or gemini', { field: 'provider' });
    const label = request.label.trim();
    if (label.length < 1 || label.length > 100) throw DomainError.badInput('label must be 1 to 100 characters', { field: 'label' });
    const apiKey = request.apiKey.trim();
    // Real keys are long single tokens; anything shorter or with spaces is a paste mistake.
    if (apiKey.length < 8 || /\s/.test(apiKey)) {
      throw DomainError.badInput('apiKey must be the provider’s key: at least 8 characters, no spaces', { field: 'apiKey' });
    }
    const key = await this.keys.add(request.provider, label, apiKey, principal.userId, channelId);
    this.gatewayKeys.invalidate();
    await this.audit.record(principal.userId, 'ai_provider_key.added', {
      targetType: 'ai_provider_key',
      targetId: key.id,
      details: { provider: key.provider, channelId: key.channelId, label: key.label, last4: key.last4 },
    });
    return key;
  }

  async setEnabled(principal: Principal, id: string, enabled: boolean): Promise<ProviderKeyInfo> {
    const key = isUUID(id) ? await this.keys.setEnabled(id, enabled) : null;
    if (!key) throw DomainError.notFound('Provider key', { id });
    this.gatewayKeys.invalidate();
    await this.audit.record(principal.userId, enabled ? 'ai_provider_key.enabled' : 'ai_provider_key.disabled', {
      targetType: 'ai_provider_key',
      targetId: key.id,
      details: { provider: key.provider, label: key.label, last4: key.last4 },
    });
    return key;
  }

  async remove(principal: Principal, id: string): Promise<void> {
    const key = isUUID(id) ? (await this.keys.list()).find((candidate) => candidate.id === id) : undefined;
    if (!key || !(await this.keys.remove(id))) throw DomainError.notFound('Provider key', { id });
    this.gatewayKeys.invalidate();
    await this.audit.record(principal.userId, 'ai_provider_key.deleted', {
      targetType: 'ai_provider_key',
      targetId: key.id,
      details: { provider: key.provider, label: key.label, last4: key.last4 },
    });
  }

  /** Circuit, error rate and latencies as this instance saw them, and whether each provider has a key. */
  async status(): Promise<ProviderStatus[]> {
    const configured = new Map<ProviderName, boolean>();
    for (const provider of PROVIDERS) configured.set(provider, await this.gatewayKeys.hasAny(provider));
    return this.health.report().map((report) => ({ ...report, keyConfigured: configured.get(report.provider) ?? false }));
  }
}
