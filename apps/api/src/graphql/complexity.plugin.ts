import type { ApolloServerPlugin } from '@apollo/server';
import { OperationRules } from './operation-rules';

/** Apollo's side of the complexity limit of the shared operation rules (graphql-ws: graphql-ws-rules.ts). */
export function complexityPlugin(rules: OperationRules): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          const refusal = rules.complexityError({ schema, document, operationName: request.operationName, variables: request.variables });
          if (refusal) throw refusal;
        },
      };
    },
  };
}
