import { GraphQLError, ValidationRule } from 'graphql';

/** Refuses `__schema` and `__type` (the schema's full shape); `__typename` stays allowed. */
export const noIntrospectionRule: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value === '__schema' || node.name.value === '__type') {
      context.reportError(
        new GraphQLError('GraphQL introspection is not allowed in production', { nodes: [node], extensions: { code: 'BAD_USER_INPUT' } }),
      );
    }
  },
});
