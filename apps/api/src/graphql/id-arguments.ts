import { DomainError } from '@sah/domain';
import {
  getNamedType,
  GraphQLArgument,
  GraphQLFieldResolver,
  GraphQLInputType,
  GraphQLSchema,
  isInputObjectType,
  isListType,
  isNonNullType,
} from 'graphql';

/** Our ids are UUIDs or catalogue names of at most 100 characters; anything far longer is not an id. */
export const MAX_ID_LENGTH = 200;

type Check = (value: unknown, path: string) => void;

/** A check of one argument's value against the ID positions in its type; undefined when it has none. */
function idCheck(type: GraphQLInputType, depth = 0): Check | undefined {
  if (isNonNullType(type)) return idCheck(type.ofType, depth);
  if (isListType(type)) {
    const item = idCheck(type.ofType, depth);
    return item && ((value, path) => Array.isArray(value) && value.forEach((entry, index) => item(entry, `${path}.${index}`)));
  }
  if (isInputObjectType(type)) {
    // Input types may refer to themselves; no input of ours nests ids deeper than this.
    if (depth > 4) return undefined;
    const fields = Object.values(type.getFields()).flatMap((field) => {
      const check = idCheck(field.type, depth + 1);
      return check ? [{ name: field.name, check }] : [];
    });
    if (fields.length === 0) return undefined;
    return (value, path) => {
      if (typeof value !== 'object' || value === null) return;
      for (const { name, check } of fields) check((value as Record<string, unknown>)[name], `${path}.${name}`);
    };
  }
  if (getNamedType(type).name !== 'ID') return undefined;
  return (value, path) => {
    if (typeof value === 'string' && value.length > MAX_ID_LENGTH) {
      throw DomainError.badInput(`${path} is not an id: longer than ${MAX_ID_LENGTH} characters`, { field: path });
    }
  };
}

function argumentsCheck(args: readonly GraphQLArgument[]): ((values: Record<string, unknown>) => void) | undefined {
  const checks = args.flatMap((arg) => {
    const check = idCheck(arg.type);
    return check ? [{ name: arg.name, check }] : [];
  });
  if (checks.length === 0) return undefined;
  return (values) => checks.forEach(({ name, check }) => check(values[name], name));
}

/**
 * Refuses an over-long ID argument of any operation (nested input fields and lists included) with
 * BAD_USER_INPUT before its resolver runs, instead of looking it up and answering NOT_FOUND. It
 * wraps the root fields' resolvers in the schema itself, so HTTP and graphql-ws alike go through it.
 */
export function limitIdArguments(schema: GraphQLSchema): GraphQLSchema {
  for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      const check = argumentsCheck(field.args);
      if (!check) continue;
      const guard = <T extends GraphQLFieldResolver<unknown, unknown>>(inner: T): T =>
        ((source, args, context, info) => {
          check(args);
          return inner(source, args, context, info);
        }) as T;
      if (field.subscribe) field.subscribe = guard(field.subscribe);
      else if (field.resolve) field.resolve = guard(field.resolve);
    }
  }
  return schema;
}
