import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { GraphQLModule, GraphQLSchemaHost } from '@nestjs/graphql';
import type { Logger } from 'pino';
import { AppConfig } from '../config/app-config';
import { HealthModule } from '../platform/health/health.module';
import { ROOT_LOGGER } from '../platform/logging/logging.module';
import { MetricsService } from '../platform/metrics/metrics.service';
import { complexityPlugin } from './complexity.plugin';
import { FieldRateLimitsCheck } from './field-rate-limits.check';
import { formatGraphqlError } from './format-graphql-error';
import { graphqlContext } from './graphql-context';
import { limitIdArguments } from './id-arguments';
import { DateTimeScalar } from './scalars/date-time.scalar';
import { graphqlWsHooks } from './graphql-ws-hooks';
import { observabilityPlugin } from './observability.plugin';
import { OperationRules } from './operation-rules';
import { SystemResolver } from './system/system.resolver';

/** Code-first GraphQL at /graphql, subscriptions over graphql-ws on the same path. */
@Module({
  imports: [
    HealthModule,
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      inject: [AppConfig, MetricsService, ROOT_LOGGER, GraphQLSchemaHost],
      useFactory: (config: AppConfig, metrics: MetricsService, logger: Logger, schemaHost: GraphQLSchemaHost) => {
        const development = config.env === 'development';
        const format = formatGraphqlError(development);
        // One rule set for every operation, over HTTP (Apollo) and graphql-ws alike.
        const rules = new OperationRules({ ...config.graphql, introspection: config.env !== 'production' });
        return {
          path: '/graphql',
          autoSchemaFile: true,
          // Every Date field and argument uses our DateTime, which refuses dates that do not exist.
          buildSchemaOptions: { scalarsMap: [{ type: Date, scalar: DateTimeScalar }] },
          transformSchema: limitIdArguments,
          sortSchema: true,
          playground: false,
          // Refused in production by the shared rules (validationRules), on both transports.
          introspection: true,
          autoTransformHttpErrors: false,
          includeStacktraceInErrorResponses: development,
          formatError: format,
          validationRules: [...rules.validationRules],
          plugins: [
            development ? ApolloServerPluginLandingPageLocalDefault({ embed: true }) : ApolloServerPluginLandingPageDisabled(),
            complexityPlugin(rules),
            observabilityPlugin(metrics, logger),
          ],
          subscriptions: {
            'graphql-ws': { path: '/graphql', ...graphqlWsHooks(rules, schemaHost, format) },
          },
          context: graphqlContext,
        };
      },
    }),
  ],
  providers: [SystemResolver, FieldRateLimitsCheck],
})
export class ApiGraphqlModule {}
