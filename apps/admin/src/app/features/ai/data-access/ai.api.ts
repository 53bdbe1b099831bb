import { HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { TypedDocumentNode } from '@apollo/client';
import { Apollo, gql } from 'apollo-angular';
import { map, type Observable } from 'rxjs';

import { requireData } from '../../../core/graphql/require-data';
import { AuthenticatedDownloads, type DownloadedFile } from '../../../shared/data/download';
import type {
  AddProviderKeyInput,
  AiModel,
  ChatCompletion,
  ChatInput,
  ChatStreamChunk,
  CreateAiModelInput,
  ProviderHealth,
  ProviderKey,
  UpdateAiModelInput,
  UsageFilter,
  UsageSummary,
} from './ai.models';

const MODEL_FIELDS = gql`
  fragment AiModelFields on AiModel {
    id
    provider
    upstreamModel
    aliases
    contextWindow
    maxOutputTokens
    inputPricePer1k
    outputPricePer1k
    enabled
    fallbackModelId
  }
`;

const PROVIDER_KEY_FIELDS = gql`
  fragment AiProviderKeyFields on AiProviderKey {
    id
    provider
    label
    last4
    enabled
    createdAt
  }
`;

const PROVIDER_HEALTH: TypedDocumentNode<{ aiProviderHealth: ProviderHealth[] }, Record<string, never>> = gql`
  query AiProviderHealth {
    aiProviderHealth {
      provider
      circuit
      consecutiveFailures
      calls
      errorRate
      p50LatencyMs
      p95LatencyMs
      keyConfigured
    }
  }
`;

const PROVIDER_KEYS: TypedDocumentNode<{ aiProviderKeys: ProviderKey[] }, Record<string, never>> = gql`
  query AiProviderKeys {
    aiProviderKeys {
      ...AiProviderKeyFields
    }
  }
  ${PROVIDER_KEY_FIELDS}
`;

const ADD_PROVIDER_KEY: TypedDocumentNode<{ addAiProviderKey: ProviderKey }, { input: AddProviderKeyInput }> = gql`
  mutation AddAiProviderKey($input: AddAiProviderKeyInput!) {
    addAiProviderKey(input: $input) {
      ...AiProviderKeyFields
    }
  }
  ${PROVIDER_KEY_FIELDS}
`;

const SET_PROVIDER_KEY_ENABLED: TypedDocumentNode<
  { setAiProviderKeyEnabled: ProviderKey },
  { id: string; enabled: boolean }
> = gql`
  mutation SetAiProviderKeyEnabled($id: ID!, $enabled: Boolean!) {
    setAiProviderKeyEnabled(id: $id, enabled: $enabled) {
      ...AiProviderKeyFields
    }
  }
  ${PROVIDER_KEY_FIELDS}
`;

const DELETE_PROVIDER_KEY: TypedDocumentNode<{ deleteAiProviderKey: boolean }, { id: string }> = gql`
  mutation DeleteAiProviderKey($id: ID!) {
    deleteAiProviderKey(id: $id)
  }
`;

const AI_MODELS: TypedDocumentNode<{ aiModels: AiModel[] }, { includeDisabled: boolean }> = gql`
  query AiModels($includeDisabled: Boolean) {
    aiModels(includeDisabled: $includeDisabled) {
      ...AiModelFields
    }
  }
  ${MODEL_FIELDS}
`;

const CREATE_AI_MODEL: TypedDocumentNode<{ createAiModel: AiModel }, { input: CreateAiModelInput }> = gql`
  mutation CreateAiModel($input: CreateAiModelInput!) {
    createAiModel(input: $input) {
      ...AiModelFields
    }
  }
  ${MODEL_FIELDS}
`;

const UPDATE_AI_MODEL: TypedDocumentNode<{ updateAiModel: AiModel }, { input: UpdateAiModelInput }> = gql`
  mutation UpdateAiModel($input: UpdateAiModelInput!) {
    updateAiModel(input: $input) {
      ...AiModelFields
    }
  }
  ${MODEL_FIELDS}
`;

// Fields are listed in both places: `UsageFigures` is an interface, and fragments on interfaces
// would need the cache to be told its implementations.
const USAGE_SUMMARY: TypedDocumentNode<{ usageSummary: UsageSummary }, { filter: UsageFilter }> = gql`
  query UsageSummary($filter: UsageSummaryFilterInput) {
    usageSummary(filter: $filter) {
      groupBy
      rows {
        key
        requests
        inputTokens
        outputTokens
        credits
        avgLatencyMs
        p95LatencyMs
        errorRate
      }
      totals {
        requests
        inputTokens
        outputTokens
        credits
        avgLatencyMs
        p95LatencyMs
        errorRate
      }
      truncated
    }
  }
`;

const CHAT_COMPLETION: TypedDocumentNode<{ chatCompletion: ChatCompletion }, { input: ChatInput }> = gql`
  mutation ChatCompletion($input: ChatCompletionInput!) {
    chatCompletion(input: $input) {
      id
      model
      content
      finishReason
      usage {
        inputTokens
        outputTokens
      }
      credits
    }
  }
`;

const CHAT_COMPLETION_STREAM: TypedDocumentNode<{ chatCompletionStream: ChatStreamChunk }, { input: ChatInput }> = gql`
  subscription ChatCompletionStream($input: ChatCompletionInput!) {
    chatCompletionStream(input: $input) {
      delta
      done
      model
      finishReason
      usage {
        inputTokens
        outputTokens
      }
      credits
    }
  }
`;

/** The REST usage report, relative to the GraphQL endpoint (both are served by the API). */
const USAGE_CSV_PATH = 'api/v1/ai/usage.csv';

/**
 * Data access for the AI context: provider health and keys, the model catalogue with prices, usage
 * analytics and chats through the gateway. Everything is fetched fresh: health, prices and usage
 * change under the page, and a stale price would mislead.
 */
@Injectable({ providedIn: 'root' })
export class AiApi {
  private readonly apollo = inject(Apollo);
  private readonly downloads = inject(AuthenticatedDownloads);

  providerHealth(): Observable<ProviderHealth[]> {
    return this.apollo.query({ query: PROVIDER_HEALTH, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.aiProviderHealth),
    );
  }

  providerKeys(): Observable<ProviderKey[]> {
    return this.apollo.query({ query: PROVIDER_KEYS, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.aiProviderKeys),
    );
  }

  /** The key is sent once; what comes back shows only its last four characters. */
  addProviderKey(input: AddProviderKeyInput): Observable<ProviderKey> {
    return this.apollo.mutate({ mutation: ADD_PROVIDER_KEY, variables: { input }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.addAiProviderKey),
    );
  }

  setProviderKeyEnabled(id: string, enabled: boolean): Observable<ProviderKey> {
    return this.apollo
      .mutate({ mutation: SET_PROVIDER_KEY_ENABLED, variables: { id, enabled }, fetchPolicy: 'no-cache' })
      .pipe(
        requireData(),
        map((data) => data.setAiProviderKeyEnabled),
      );
  }

  deleteProviderKey(id: string): Observable<boolean> {
    return this.apollo.mutate({ mutation: DELETE_PROVIDER_KEY, variables: { id }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.deleteAiProviderKey),
    );
  }

  /** Enabled models only, unless an admin asks for the whole catalogue. */
  models(includeDisabled = false): Observable<AiModel[]> {
    return this.apollo.query({ query: AI_MODELS, variables: { includeDisabled }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.aiModels),
    );
  }

  createModel(input: CreateAiModelInput): Observable<AiModel> {
    return this.apollo.mutate({ mutation: CREATE_AI_MODEL, variables: { input }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.createAiModel),
    );
  }

  updateModel(input: UpdateAiModelInput): Observable<AiModel> {
    return this.apollo.mutate({ mutation: UPDATE_AI_MODEL, variables: { input }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.updateAiModel),
    );
  }

  /** Scoped by the API: callers see their own usage, managers their teams', admins everyone's. */
  usageSummary(filter: UsageFilter): Observable<UsageSummary> {
    return this.apollo.query({ query: USAGE_SUMMARY, variables: { filter }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.usageSummary),
    );
  }

  /** One answer, all at once. */
  chat(input: ChatInput): Observable<ChatCompletion> {
    return this.apollo.mutate({ mutation: CHAT_COMPLETION, variables: { input }, fetchPolicy: 'no-cache' }).pipe(
      requireData(),
      map((data) => data.chatCompletion),
    );
  }

  /**
   * The answer as it is written (graphql-ws), ending with usage and cost. Unsubscribing stops the
   * call upstream; the gateway then charges only what was produced.
   */
  chatStream(input: ChatInput): Observable<ChatStreamChunk> {
    return this.apollo.subscribe({ query: CHAT_COMPLETION_STREAM, variables: { input } }).pipe(
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
