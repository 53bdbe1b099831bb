import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { isObjectType } from 'graphql';
import { FIELD_RATE_LIMITS } from './field-rate-limits';

/** Stops start-up when FIELD_RATE_LIMITS names a field the schema lacks: a renamed field must not lose its limit silently. */
@Injectable()
export class FieldRateLimitsCheck implements OnApplicationBootstrap {
  constructor(private readonly schemaHost: GraphQLSchemaHost) {}

  onApplicationBootstrap(): void {
    const missing = Object.keys(FIELD_RATE_LIMITS).filter((key) => {
      const [typeName, field] = key.split('.');
      const type = this.schemaHost.schema.getType(typeName);
      return !isObjectType(type) || !type.getFields()[field];
    });
    if (missing.length > 0) throw new Error(`FIELD_RATE_LIMITS names fields the schema does not have: ${missing.join(', ')}`);
  }
}
