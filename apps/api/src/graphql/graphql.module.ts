import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { ExecutionResult, FormattedExecutionResult } from 'graphql';
import type { Logger } from 'pino';
import { AppConfig } from '../config/app-config';
import { HealthModule } from '../platform/health/health.module';
import { ROOT_LOGGER } from '../platform/logging/logging.module';
import { MetricsService } from '../platform/metrics/metrics.service';
import { complexityPlugin } from './complexity.plugin';
import { depthLimitRule } from './depth-limit.rule';
import { fieldExecutionsRule } from './field-executions.rule';
import { fieldRateLimit } from './field-rate-limits';
import { formatGraphqlError } from './format-graphql-error';
import { graphqlContext } from './graphql-context';
import { observabilityPlugin } from './observability.plugin';
import { SystemResolver } from './system/system.resolver';

/** Code-first GraphQL at /graphql, subscriptions over graphql-ws on the same path. */
@Module({
  imports: [
    HealthModule,
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      inject: [AppConfig, MetricsService, ROOT_LOGGER],
      useFactory: (config: AppConfig, metrics: MetricsService, logger: Logger) => {
        const development = config.env === 'development';
        const format = formatGraphqlError(development);
        return {
          path: '/graphql',
          autoSchemaFile: true,
          sortSchema: true,
          playground: false,
          introspection: config.env !== 'production',
          autoTransformHttpErrors: false,
          includeStacktraceInErrorResponses: development,
          formatError: format,
          validationRules: [depthLimitRule(config.graphql.maxDepth), fieldExecutionsRule(fieldRateLimit)],
          plugins: [
            development ? ApolloServerPluginLandingPageLocalDefault({ embed: true }) : ApolloServerPluginLandingPageDisabled(),
            complexityPlugin(config.graphql.maxComplexity),
            observabilityPlugin(metrics, logger),
          ],
          subscriptions: {
            'graphql-ws': {
              path: '/graphql',
              // Apollo's formatError does not reach graphql-ws: its results get the same mapper here.
              onNext: (_ctx: unknown, _id: string, _payload: unknown, _args: unknown, result: ExecutionResult): FormattedExecutionResult | void =>
                result.errors ? { ...result, errors: result.errors.map((error) => format(error.toJSON(), error)) } : undefined,
            },
          },
          context: graphqlContext,
        };
      },
    }),
  ],
  providers: [SystemResolver],
})
export class ApiGraphqlModule {}
