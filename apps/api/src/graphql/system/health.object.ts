import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('HealthChecks')
export class HealthChecksObject {
  @Field(() => String, { description: '"up" or "down"' })
  database!: string;

  @Field(() => String, { description: '"up" or "down"' })
  redis!: string;
}

@ObjectType('Health', { description: 'The same report as GET /health' })
export class HealthObject {
  @Field(() => String, { description: '"ok" when every dependency is up, else "error"' })
  status!: string;

  @Field(() => HealthChecksObject)
  checks!: HealthChecksObject;
}
