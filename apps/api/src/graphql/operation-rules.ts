import { DocumentNode, GraphQLError, GraphQLSchema, ValidationRule } from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { depthLimitRule } from './depth-limit.rule';
import { fieldExecutionsRule } from './field-executions.rule';
import { fieldRateLimit } from './field-rate-limits';
import { noIntrospectionRule } from './introspection.rule';

export interface OperationLimits {
  readonly maxDepth: number;
  readonly maxComplexity: number;
  readonly introspection: boolean;
}

export interface OperationToCheck {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operationName?: string | null;
  readonly variables?: Readonly<Record<string, unknown>> | null;
}

/**
 * The checks every GraphQL operation passes before it runs, whatever the transport: built once in
 * graphql.module.ts and applied by Apollo over HTTP and by the graphql-ws server alike (an
 * operation over a WebSocket is no less expensive). Authentication and the per-field rate limits
 * are guards on the resolvers, so they already hold on both.
 */
export class OperationRules {
  /** Checks of the document alone, run after graphql's own validation rules. */
  readonly validationRules: readonly ValidationRule[];

  constructor(private readonly limits: OperationLimits) {
    this.validationRules = [
      depthLimitRule(limits.maxDepth),
      fieldExecutionsRule(fieldRateLimit),
      ...(limits.introspection ? [] : [noIntrospectionRule]),
    ];
  }

  /**
   * The estimated cost (1 per field unless a field says otherwise) against the limit. It needs the
   * variables, so it runs once the operation is resolved. Returns the refusal, if any.
   */
  complexityError({ schema, document, operationName, variables }: OperationToCheck): GraphQLError | undefined {
    let complexity: number;
    try {
      complexity = getComplexity({
        schema,
        query: document,
        operationName: operationName ?? undefined,
        variables: variables ?? undefined,
        estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
      });
    } catch (error) {
      // The estimate coerces the variables first; bad ones are the client's mistake, not a 500.
      return new GraphQLError(error instanceof Error ? error.message : 'Invalid variables', {
        extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
      });
    }
    const { maxComplexity } = this.limits;
    if (complexity <= maxComplexity) return undefined;
    return new GraphQLError(`Query is too complex: ${complexity}, the limit is ${maxComplexity}`, {
      extensions: { code: 'QUERY_TOO_COMPLEX', complexity, maxComplexity, http: { status: 400 } },
    });
  }
}
