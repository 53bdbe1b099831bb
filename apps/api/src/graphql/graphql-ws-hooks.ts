import type { GraphQLSchemaHost } from '@nestjs/graphql';
import { DocumentNode, ExecutionResult, FormattedExecutionResult, GraphQLError, GraphQLFormattedError, parse, specifiedRules, validate } from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { OperationRules } from './operation-rules';

type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/**
 * The graphql-ws server's side of the shared operation rules: each operation is parsed, validated
 * with graphql's rules plus ours and checked for complexity exactly as Apollo does over HTTP, and
 * refused before it runs otherwise. Results and refusals leave through the same error formatter.
 */
export function graphqlWsHooks(rules: OperationRules, schemaHost: GraphQLSchemaHost, format: FormatError) {
  const refusal = (errors: readonly GraphQLError[], apolloCode: string): GraphQLError[] =>
    errors.map((error) => {
      // Apollo labels graphql's own parse and validation errors; graphql-ws does not.
      // `http` carries Apollo's status code; a WebSocket has none to set.
      const { http: _http, ...own } = error.extensions;
      const { message, extensions } = format({ message: error.message, extensions: { code: apolloCode, ...own } }, error);
      return new GraphQLError(message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions });
    });

  return {
    onSubscribe: (_ctx: unknown, _id: string, payload: SubscribePayload) => {
      const schema = schemaHost.schema;
      let document: DocumentNode;
      try {
        document = parse(payload.query);
      } catch (error) {
        if (error instanceof GraphQLError) return refusal([error], 'GRAPHQL_PARSE_FAILED');
        throw error;
      }
      const invalid = validate(schema, document, [...specifiedRules, ...rules.validationRules]);
      if (invalid.length > 0) return refusal(invalid, 'GRAPHQL_VALIDATION_FAILED');
      const { operationName, variables } = payload;
      const tooComplex = rules.complexityError({ schema, document, operationName, variables });
      if (tooComplex) return refusal([tooComplex], 'GRAPHQL_VALIDATION_FAILED');
      return { schema, document, operationName, variableValues: variables };
    },
    // Apollo's formatError does not reach graphql-ws: its results get the same mapper here.
    onNext: (_ctx: unknown, _id: string, _payload: unknown, _args: unknown, result: ExecutionResult): FormattedExecutionResult | void =>
      result.errors ? { ...result, errors: result.errors.map((error) => format(error.toJSON(), error)) } : undefined,
  };
}
