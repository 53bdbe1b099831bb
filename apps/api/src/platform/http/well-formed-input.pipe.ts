import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from '@sah/domain';

/** REST parameters and GraphQL arguments: what a caller wrote. Parents, contexts and custom decorators are ours. */
// 3 is @nestjs/graphql's GqlParamtype.ARGS, which the package's exports map keeps out of reach at run time.
const GRAPHQL_ARGS = 3;
const CALLER_INPUT = new Set<unknown>(['body', 'query', 'param', GRAPHQL_ARGS]);

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A place in `value` holding text no database column may store (NUL, which PostgreSQL
 * refuses, or an unpaired UTF-16 surrogate, which has no UTF-8 form) or an Invalid Date, as a path
 * such as `input.messages.0.content`; undefined when everything is well formed.
 */
export function findMalformedInput(value: unknown, root: string): string | undefined {
  const stack: [unknown, string][] = [[value, root]];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const [current, path] = item;
    if (typeof current === 'string') {
      if (current.includes('\u0000') || UNPAIRED_SURROGATE.test(current)) return path;
    } else if (current instanceof Date) {
      if (Number.isNaN(current.getTime())) return path;
    } else if (typeof current === 'object' && current !== null && !Buffer.isBuffer(current)) {
      for (const [key, child] of Object.entries(current)) stack.push([child, path ? `${path}.${key}` : key]);
    }
  }
  return undefined;
}

/**
 * Global pipe, ahead of class validation: every REST body, query and path parameter and every
 * GraphQL argument (over HTTP and graphql-ws alike) is refused with BAD_USER_INPUT when it holds
 * malformed text or an invalid date, instead of failing in the database as a 500.
 */
@Injectable()
export class WellFormedInputPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (!CALLER_INPUT.has(metadata.type)) return value;
    const path = findMalformedInput(value, metadata.data ?? '');
    if (path !== undefined) {
      const field = path || 'input';
      throw DomainError.badInput(`${field} must be valid text (no NUL characters or unpaired surrogates) or a valid date`, { field });
    }
    return value;
  }
}
