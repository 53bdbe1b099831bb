import type { GraphQLSchemaHost } from '@nestjs/graphql';
import { buildSchema } from 'graphql';
import { FieldRateLimitsCheck } from './field-rate-limits.check';
import { FIELD_RATE_LIMITS } from './field-rate-limits';

const checkWith = (sdl: string) => () => new FieldRateLimitsCheck({ schema: buildSchema(sdl) } as GraphQLSchemaHost).onApplicationBootstrap();

describe('FieldRateLimitsCheck', () => {
  it('stops start-up naming the listed fields the schema lacks', () => {
    expect(checkWith('type Query { version: String } type Mutation { register: String }')).toThrow(/Mutation\.login, .*Subscription\.chatCompletionStream/);
  });

  it('passes when the schema has every listed field', () => {
    const byType = new Map<string, string[]>();
    for (const key of Object.keys(FIELD_RATE_LIMITS)) {
      const [type, field] = key.split('.');
      byType.set(type, [...(byType.get(type) ?? []), field]);
    }
    const sdl = [...byType].map(([type, fields]) => `type ${type} { ${fields.map((f) => `${f}: String`).join(' ')} }`).join('\n');
    expect(checkWith(`${sdl}\n${byType.has('Query') ? '' : 'type Query { version: String }'}`)).not.toThrow();
  });
});
