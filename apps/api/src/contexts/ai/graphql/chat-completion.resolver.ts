import { Args, Context, Mutation, Resolver, Subscription } from '@nestjs/graphql';
import { TeamMembershipStore } from '@sah/infrastructure';
import type { Response } from 'express';
import { ApiKeyScope, CurrentPrincipal, RequirePermission } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { ChatGateway } from '../application/chat-gateway.service';
import { whileClientStays } from '../http/client-presence';
import { chatCaller } from './chat-caller';
import { ChatCompletionInput, toChatRequest } from './chat-completion.inputs';
import { ChatCompletionChunkObject, ChatCompletionObject } from './chat-completion.object';
import { cancellable, chatChunks, ChatStreamItem } from './chat-stream';

/** Chats for the console (and GraphQL clients) through the same metered gateway as the compatible endpoints. */
@Resolver()
@RequirePermission('ai:use')
@ApiKeyScope('ai.use')
export class ChatCompletionResolver {
  constructor(
    private readonly gateway: ChatGateway,
    private readonly memberships: TeamMembershipStore,
  ) {}

  @Mutation(() => ChatCompletionObject, { description: 'One answer, charged exactly for its usage' })
  async chatCompletion(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ChatCompletionInput,
    @Context('res') res?: Response,
  ): Promise<ChatCompletionObject> {
    const caller = await chatCaller(principal, input.teamId, this.memberships);
    // A client that goes away stops the upstream call (and is not charged for an answer it never gets).
    const complete = (signal?: AbortSignal) => this.gateway.complete(caller, toChatRequest(input), signal);
    const result = res ? await whileClientStays(res, complete) : await complete();
    return { ...result, credits: result.credits.toNumber() };
  }

  @Subscription(() => ChatCompletionChunkObject, {
    description: 'The answer as it is written (graphql-ws); unsubscribing stops the call and charges only what was produced',
    resolve: (item: ChatStreamItem) => {
      if ('failure' in item) throw item.failure;
      return item.chunk;
    },
  })
  async chatCompletionStream(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: ChatCompletionInput,
  ): Promise<AsyncIterableIterator<ChatStreamItem>> {
    const caller = await chatCaller(principal, input.teamId, this.memberships);
    const abort = new AbortController();
    // Failures before the first token (no credits, unknown model, provider down) refuse the subscription.
    const opened = await this.gateway.stream(caller, toChatRequest(input), abort.signal);
    return cancellable(chatChunks(opened), abort);
  }
}
