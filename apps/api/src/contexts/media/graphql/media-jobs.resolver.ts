import { Args, ID, Int, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { Credits, DomainError, MediaJob } from '@sah/domain';
import { ANY_API_KEY_SCOPE, ApiKeyScope, CurrentPrincipal, RequirePermission } from '../../../platform/auth/auth.decorators';
import type { Principal } from '../../../platform/auth/principal';
import { spendingBudgetOf } from '../../billing/application/spending-budget';
import { PageInfoObject } from '../../identity/graphql/user.object';
import { CreateMediaJobHandler } from '../application/create-media-job.handler';
import { MediaCatalogue } from '../application/media-catalogue';
import { MediaJobs, seesAllMediaJobs } from '../application/media-jobs.service';
import { ALL_USERS, MediaJobUpdate, MediaUpdates } from '../application/media-updates';
import { SignedUrls } from '../application/signed-urls';
import { MediaProviderRouter } from '../application/media-provider-router';
import { CreateImageJobInput, CreateVideoJobInput, MediaJobsFilter } from './media-job.inputs';
import { MediaJobObject, MediaJobPageObject } from './media-job.object';
import { MediaModelObject, SetMediaModelRoutesInput, UpdateMediaModelInput } from './media-model.object';

export const DEFAULT_IMAGE_MODEL = 'gpt-image-1';
export const DEFAULT_VIDEO_MODEL = 'sora-2';

@Resolver()
export class MediaJobsResolver {
  constructor(
    private readonly create: CreateMediaJobHandler,
    private readonly jobs: MediaJobs,
    private readonly models: MediaCatalogue,
    private readonly updates: MediaUpdates,
    private readonly urls: SignedUrls,
    private readonly router: MediaProviderRouter,
  ) {}

  @Mutation(() => MediaJobObject, { description: 'Holds the price (INSUFFICIENT_CREDITS when not covered) and queues the job' })
  @RequirePermission('ai:use')
  @ApiKeyScope('media.create')
  async createImageJob(@CurrentPrincipal() principal: Principal, @Args('input') input: CreateImageJobInput): Promise<MediaJobObject> {
    const job = await this.create.execute({
      userId: principal.userId,
      kind: 'image',
      model: input.model ?? DEFAULT_IMAGE_MODEL,
      ...input,
      budget: spendingBudgetOf(principal),
      teamId: principal.apiKeyTeamId ?? null,
    });
    return this.view(principal, job);
  }

  @Mutation(() => MediaJobObject, { description: 'Holds the price (INSUFFICIENT_CREDITS when not covered) and queues the job' })
  @RequirePermission('ai:use')
  @ApiKeyScope('media.create')
  async createVideoJob(@CurrentPrincipal() principal: Principal, @Args('input') input: CreateVideoJobInput): Promise<MediaJobObject> {
    const job = await this.create.execute({
      userId: principal.userId,
      kind: 'video',
      model: input.model ?? DEFAULT_VIDEO_MODEL,
      prompt: input.prompt,
      size: input.size,
      seconds: input.seconds ?? 4,
      referenceImageUrl: input.referenceImageUrl,
      budget: spendingBudgetOf(principal),
      teamId: principal.apiKeyTeamId ?? null,
    });
    return this.view(principal, job);
  }

  @Mutation(() => MediaJobObject, { description: 'Only before generation started (QUEUED, MODERATING); the hold is released' })
  @RequirePermission('ai:use')
  @ApiKeyScope('media.create')
  async cancelMediaJob(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }) id: string): Promise<MediaJobObject> {
    return this.view(principal, await this.jobs.cancel(principal, id));
  }

  @Query(() => MediaJobObject, { description: 'One of your jobs (admins: anyone’s)' })
  @RequirePermission('ai:use')
  @ApiKeyScope('media.create')
  async mediaJob(@CurrentPrincipal() principal: Principal, @Args('id', { type: () => ID }) id: string): Promise<MediaJobObject> {
    return this.view(principal, await this.jobs.get(principal, id));
  }

  @Query(() => MediaJobPageObject, { description: 'Newest first; your own jobs (admins: everyone’s, or one user’s)' })
  @RequirePermission('ai:use')
  @ApiKeyScope('media.create')
  async mediaJobs(
    @CurrentPrincipal() principal: Principal,
    @Args('filter', { type: () => MediaJobsFilter, nullable: true }) filter?: MediaJobsFilter,
    @Args('page', { type: () => Int, nullable: true, description: 'Default 1' }) page?: number,
    @Args('perPage', { type: () => Int, nullable: true, description: 'Default 20, at most 100' }) perPage?: number,
  ): Promise<MediaJobPageObject> {
    const pageNumber = Math.max(1, page ?? 1);
    const size = Math.min(100, Math.max(1, perPage ?? 20));
    const result = await this.jobs.page(principal, filter ?? {}, (pageNumber - 1) * size, size);
    return { items: result.items.map((job) => this.view(principal, job)), pageInfo: PageInfoObject.of(pageNumber, size, result.total) };
  }

  @Query(() => [MediaModelObject], { description: 'Media models and their prices' })
  @ApiKeyScope('media.create')
  async mediaModels(): Promise<MediaModelObject[]> {
    return (await this.models.all()).map(MediaModelObject.from);
  }

  @Mutation(() => MediaModelObject, { description: 'Admins: a media model’s price or availability; running jobs keep their price' })
  @RequirePermission('ai:manage')
  async updateMediaModel(@Args('input') input: UpdateMediaModelInput): Promise<MediaModelObject> {
    const price = input.price === undefined ? undefined : Credits.parse(input.price, 'price');
    return MediaModelObject.from(await this.models.update(input.id, { price, enabled: input.enabled }));
  }

  @Mutation(() => MediaModelObject, { description: 'Admins: the providers that serve a media model, in the order they are tried; submitted jobs stay where they are' })
  @RequirePermission('ai:manage')
  async setMediaModelRoutes(@Args('input') input: SetMediaModelRoutesInput): Promise<MediaModelObject> {
    const model = await this.models.find(input.id);
    if (!model) throw DomainError.notFound('Media model', { id: input.id });
    const routes = input.routes.map(({ provider, upstreamModel }) => ({ provider, upstreamModel }));
    this.router.assertServable(model.kind, routes);
    return MediaModelObject.from(await this.models.update(input.id, { routes }));
  }

  @Subscription(() => MediaJobObject, {
    description: 'Each change of your media jobs’ status (admins: everyone’s)',
    resolve(this: MediaJobsResolver, update: MediaJobUpdate, _args: unknown, context: { req?: { principal?: Principal } }) {
      const principal = context.req?.principal;
      return principal ? this.view(principal, update.job) : null;
    },
  })
  @RequirePermission('ai:use')
  @ApiKeyScope(ANY_API_KEY_SCOPE)
  mediaJobUpdated(@CurrentPrincipal() principal: Principal): Promise<AsyncIterableIterator<MediaJobUpdate>> {
    return this.updates.updatesOf(seesAllMediaJobs(principal) ? ALL_USERS : principal.userId);
  }

  /** Links to the files go to their owner only. */
  private view(principal: Principal, job: MediaJob): MediaJobObject {
    return MediaJobObject.from(job, job.userId === principal.userId ? (id, index) => this.urls.urlOf(id, index) : undefined);
  }
}
