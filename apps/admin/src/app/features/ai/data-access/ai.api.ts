import { HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Apollo } from 'apollo-angular';
import { map, type Observable } from 'rxjs';

import {
  AddAiChannelKeyDocument,
  AddAiProviderKeyDocument,
  AiChannelsDocument,
  AiModelsDocument,
  AiProviderHealthDocument,
  AiProviderKeysDocument,
  ChatCompletionDocument,
  ChatCompletionStreamDocument,
  CreateAiChannelDocument,
  CreateAiModelDocument,
  DeleteAiChannelDocument,
  DeleteAiProviderKeyDocument,
  SetAiChannelEnabledDocument,
  SetAiModelRoutingPolicyDocument,
  UpdateAiChannelDocument,
  SetAiProviderKeyEnabledDocument,
  TestAiChannelDocument,
  UpdateAiModelDocument,
  UsageSummaryDocument,
} from '../../../core/graphql/operations.generated';
import { requireData } from '../../../core/graphql/require-data';
import { AuthenticatedDownloads, type DownloadedFile } from '../../../shared/data/download';
import type {
  AddProviderKeyInput,
  AiChannel,
  AiChannelTest,
  AiModel,
  ChatCompletion,
  ChatInput,
  ChatStreamChunk,
  CreateAiChannelInput,
  CreateAiModelInput,
  ProviderHealth,
  ProviderKey,
  RoutingPolicy,
  UpdateAiChannelInput,
  UpdateAiModelInput,
  UsageFilter,
  UsageSummary,
} from './ai.types';

/** The REST usage report, relative to the GraphQL endpoint (both are served by the API). */
const USAGE_CSV_PATH = 'api/v1/ai/usage.csv';

/**
 * Data access for the AI context: provider health and keys, channels, the model catalogue with prices, usage
 * analytics and chats through the gateway. Everything is fetched fresh: health, prices and usage
 * change under the page, and a stale price would mislead.
 */
@Injectable({ providedIn: 'root' })
export class AiApi {
  private readonly apollo = inject(Apollo);
  private readonly downloads = inject(AuthenticatedDownloads);

  providerHealth(): Observable<readonly ProviderHealth[]> {
    return this.apollo.query({ query: AiProviderHealthDocument, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.aiProviderHealth),
    );
  }

  providerKeys(): Observable<readonly ProviderKey[]> {
    return this.apollo.query({ query: AiProviderKeysDocument, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.aiProviderKeys),
    );
  }

  /** The key is sent once; what comes back shows only its last four characters. */
  addProviderKey(input: AddProviderKeyInput): Observable<ProviderKey> {
    return this.apollo.mutate({ mutation: AddAiProviderKeyDocument, variables: { input }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.addAiProviderKey),
    );
  }

  setProviderKeyEnabled(id: string, enabled: boolean): Observable<ProviderKey> {
    return this.apollo
      .mutate({ mutation: SetAiProviderKeyEnabledDocument, variables: { id, enabled }, fetchPolicy: 'no-cache' })
      .pipe(
        requireData(),
        map((data) => data.setAiProviderKeyEnabled),
      );
  }

  deleteProviderKey(id: string): Observable<boolean> {
    return this.apollo.mutate({ mutation: DeleteAiProviderKeyDocument, variables: { id }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.deleteAiProviderKey),
    );
  }

  channels(): Observable<readonly AiChannel[]> {
    return this.apollo.query({ query: AiChannelsDocument, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.aiChannels),
    );
  }

  createChannel(input: CreateAiChannelInput): Observable<AiChannel> {
    return this.apollo.mutate({ mutation: CreateAiChannelDocument, variables: { input }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.createAiChannel),
    );
  }

  updateChannel(input: UpdateAiChannelInput): Observable<AiChannel> {
    return this.apollo.mutate({ mutation: UpdateAiChannelDocument, variables: { input }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.updateAiChannel),
    );
  }

  setChannelEnabled(id: string, enabled: boolean): Observable<AiChannel> {
    return this.apollo.mutate({ mutation: SetAiChannelEnabledDocument, variables: { id, enabled }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.updateAiChannel),
    );
  }

  deleteChannel(id: string): Observable<boolean> {
    return this.apollo.mutate({ mutation: DeleteAiChannelDocument, variables: { id }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.deleteAiChannel),
    );
  }

  addChannelKey(channelId: string, label: string, apiKey: string): Observable<ProviderKey> {
    return this.apollo
      .mutate({ mutation: AddAiChannelKeyDocument, variables: { input: { channelId, label, apiKey } }, fetchPolicy: 'no-cache' })
      .pipe(
        requireData(),
        map((data) => data.addAiChannelKey),
      );
  }

  /** Asks the channel's base URL for its model list with its next key; the answer says how that went. */
  testChannel(id: string): Observable<AiChannelTest> {
    return this.apollo.mutate({ mutation: TestAiChannelDocument, variables: { id }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.testAiChannel),
    );
  }

  /** Enabled models only, unless an admin asks for the whole catalogue. */
  models(includeDisabled = false): Observable<readonly AiModel[]> {
    return this.apollo.query({ query: AiModelsDocument, variables: { includeDisabled }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.aiModels),
    );
  }

  createModel(input: CreateAiModelInput): Observable<AiModel> {
    return this.apollo.mutate({ mutation: CreateAiModelDocument, variables: { input }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.createAiModel),
    );
  }

  updateModel(input: UpdateAiModelInput): Observable<AiModel> {
    return this.apollo.mutate({ mutation: UpdateAiModelDocument, variables: { input }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.updateAiModel),
    );
  }

  setRoutingPolicy(modelId: string, policy: RoutingPolicy): Observable<AiModel> {
    return this.apollo
      .mutate({ mutation: SetAiModelRoutingPolicyDocument, variables: { input: { modelId, policy } }, fetchPolicy: 'no-cache' })
      .pipe(
        requireData(),
        map((data) => data.setAiModelRoutingPolicy),
      );
  }

  /** Scoped by the API: callers see their own usage, managers their teams', admins everyone's. */
  usageSummary(filter: UsageFilter): Observable<UsageSummary> {
    return this.apollo.query({ query: UsageSummaryDocument, variables: { filter }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.usageSummary),
    );
  }

  /** One answer, all at once. */
  chat(input: ChatInput): Observable<ChatCompletion> {
    return this.apollo.mutate({ mutation: ChatCompletionDocument, variables: { input }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.chatCompletion),
    );
  }

  /**
   * The answer as it is written (graphql-ws), ending with usage and cost. Unsubscribing stops the
   * call upstream; the gateway then charges only what was produced.
   */
  chatStream(input: ChatInput): Observable<ChatStreamChunk> {
    return this.apollo.subscribe({ query: ChatCompletionStreamDocument, variables: { input } }).pipe(
      requireData(),
      map((data) => data.chatCompletionStream),
    );
  }

  /** The usage report as a CSV file (an authenticated REST download). */
  usageCsv(filter: UsageFilter): Observable<DownloadedFile> {
    return this.downloads.csv(USAGE_CSV_PATH, usageCsvParams(filter), `ai-usage-${filter.groupBy.toLowerCase()}.csv`);
  }
}

/** The usage filter as the CSV report's query string. */
export function usageCsvParams(filter: UsageFilter): HttpParams {
  let params = new HttpParams().set('groupBy', filter.groupBy);
  if (filter.from) params = params.set('from', filter.from);
  if (filter.to) params = params.set('to', filter.to);
  return params;
}
