import { FragmentDefinitionNode, GraphQLError, Kind, OperationDefinitionNode, SelectionSetNode, ValidationContext, ValidationRule } from 'graphql';
import { FieldRateLimit } from './field-rate-limits';

type LimitOf = (rootType: string, field: string) => FieldRateLimit | undefined;

/**
 * Refuses an operation that asks for a limited root field more often than its `perOperation`
 * (40 aliased `register`s, say), before any of them runs. Each distinct response key is one
 * execution: graphql merges repeats of the same key. `@skip`/`@include` are not evaluated (they need
 * the variables), so a skipped alias still counts: the refusal errs on the safe side.
 */
export function fieldExecutionsRule(limitOf: LimitOf): ValidationRule {
  return (context: ValidationContext) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    return {
      OperationDefinition(operation) {
        const rootType = context.getSchema().getRootType(operation.operation)?.name;
        if (!rootType) return;
        const keysByField = new Map<string, Set<string>>();
        collectRootFields(operation.selectionSet, fragments, new Set(), keysByField);
        for (const [field, keys] of keysByField) {
          const limit = limitOf(rootType, field);
          if (limit && keys.size > limit.perOperation) context.reportError(tooMany(operation, field, keys.size, limit.perOperation));
        }
      },
    };
  };
}

function collectRootFields(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  visiting: Set<string>,
  keysByField: Map<string, Set<string>>,
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const field = selection.name.value;
      const keys = keysByField.get(field) ?? new Set<string>();
      keys.add(selection.alias?.value ?? field);
      keysByField.set(field, keys);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collectRootFields(selection.selectionSet, fragments, visiting, keysByField);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      // Unknown fragments and cycles are reported by graphql's own rules.
      if (!fragment || visiting.has(name)) continue;
      visiting.add(name);
      collectRootFields(fragment.selectionSet, fragments, visiting, keysByField);
      visiting.delete(name);
    }
  }
}

function tooMany(operation: OperationDefinitionNode, field: string, count: number, max: number): GraphQLError {
  return new GraphQLError(`At most ${max} "${field}" per operation: this one asks for ${count}. Send them separately.`, {
    nodes: [operation],
    extensions: { code: 'BAD_USER_INPUT', field, count, max },
  });
}
