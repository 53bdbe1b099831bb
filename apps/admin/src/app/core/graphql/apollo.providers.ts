import { HttpHeaders } from '@angular/common/http';
import { inject, type Provider } from '@angular/core';
import { ApolloLink, InMemoryCache, type ApolloClient } from '@apollo/client';
import { ErrorLink } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { isSubscriptionOperation } from '@apollo/client/utilities';
import { provideApollo } from 'apollo-angular';
import { HttpLink } from 'apollo-angular/http';
import { createClient } from 'graphql-ws';

import { AuthStore } from '../auth/auth.store';
import { RuntimeConfigStore } from '../config/runtime-config';
import { GraphQLErrorHandler } from './graphql-error.handler';

/**
 * Apollo over HTTP for queries and mutations and over graphql-ws for subscriptions, both
 * carrying the bearer token. Requires HttpClient and the runtime config (loaded before bootstrap ends).
 */
export function provideGraphQL(): Provider {
  return provideApollo(createApolloOptions);
}

function createApolloOptions(): ApolloClient.Options {
  const { graphqlUrl, graphqlWsUrl } = inject(RuntimeConfigStore).config;
  const auth = inject(AuthStore);
  const errors = inject(GraphQLErrorHandler);

  // Read per request, so signing in or out needs no client rebuild.
  const authLink = new ApolloLink((operation, forward) => {
    const token = auth.accessToken();
    if (token) {
      operation.setContext(({ headers }: { headers?: HttpHeaders | Record<string, string> }) => ({
        headers: withBearer(headers, token),
      }));
    }
    return forward(operation);
  });

  const wsLink = new GraphQLWsLink(
    createClient({
      url: graphqlWsUrl,
      // Called on every (re)connect. The socket is lazy and closes with its last subscription,
      // so a new session always connects with the current token.
      connectionParams: () => {
        const token = auth.accessToken();
        return token ? { Authorization: `Bearer ${token}` } : {};
      },
    }),
  );

  const httpLink = ApolloLink.from([authLink, inject(HttpLink).create({ uri: graphqlUrl })]);

  return {
    link: ApolloLink.from([
      new ErrorLink(({ error }) => errors.handle(error)),
      ApolloLink.split(({ query }) => isSubscriptionOperation(query), wsLink, httpLink),
    ]),
    cache: new InMemoryCache(),
  };
}

function withBearer(headers: HttpHeaders | Record<string, string> | undefined, token: string): HttpHeaders {
  const value = `Bearer ${token}`;
  return headers instanceof HttpHeaders
    ? headers.set('Authorization', value)
    : new HttpHeaders({ ...headers, Authorization: value });
}
