import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import type { Logger } from 'pino';
import { AppConfig } from '../config/app-config';
import { HealthModule } from '../platform/health/health.module';
import { ROOT_LOGGER } from '../platform/logging/logging.module';
import { MetricsService } from '../platform/metrics/metrics.service';
import { complexityPlugin } from './complexity.plugin';
import { depthLimitRule } from './depth-limit.rule';
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
        return {
          path: '/graphql',
          autoSchemaFile: true,
          sortSchema: true,
          playground: false,
          introspection: config.env !== 'production',
          autoTransformHttpErrors: false,
          includeStacktraceInErrorResponses: development,
          formatError: formatGraphqlError(development),
          validationRules: [depthLimitRule(config.graphql.maxDepth)],
          plugins: [
            development ? ApolloServerPluginLandingPageLocalDefault({ embed: true }) : ApolloServerPluginLandingPageDisabled(),
            complexityPlugin(config.graphql.maxComplexity),
            observabilityPlugin(metrics, logger),
          ],
          subscriptions: { 'graphql-ws': { path: '/graphql' } },
          context: graphqlContext,
        };
      },
    }),
  ],
  providers: [SystemResolver],
})
export class ApiGraphqlModule {}
