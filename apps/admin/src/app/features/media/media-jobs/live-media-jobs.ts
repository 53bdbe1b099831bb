import { computed, DestroyRef, inject, signal, type Signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { auditTime, Subject, type Observable } from 'rxjs';

import type { ListPage } from '../../../shared/data/list-page';
import type { Page } from '../../../shared/data/page';
import type { MediaJob, MediaJobsListFilter } from '../data-access/media.types';
import { newerJob } from '../ui/media-labels';
import { matchesFilter } from './media-jobs-filter';

/** Several jobs changing at once (an admin's view) fetch the page once, not once each. */
const RELOAD_AUDIT_MS = 300;

export interface LiveMediaJobs extends ListPage<MediaJobsListFilter, Page<MediaJob>> {
  /** The newest view of a job on this page, for a detail view that follows it. */
  job(id: string): Signal<MediaJob | null>;
  /** Set when the live updates stopped (the socket failed); `reconnect` starts them again. */
  readonly liveError: Signal<string | null>;
  reconnect(): void;
}

/**
 * A media jobs list kept current by the `mediaJobUpdated` subscription, with no polling: a change of
 * a job on the page replaces its row in place; a job that is not on the page but belongs there (a new
 * one, on the first page), or one that no longer matches the filter, fetches the page again.
 * Call from an injection context (a component field initialiser).
 */
export function liveMediaJobs(
  list: ListPage<MediaJobsListFilter, Page<MediaJob>>,
  updates: () => Observable<MediaJob>,
  describeError: (error: unknown) => string,
): LiveMediaJobs {
  const destroyRef = inject(DestroyRef);
  /** Updates of jobs on the page, by id; a row shows whichever is newer, this or the page's. */
  const latest = signal<ReadonlyMap<string, MediaJob>>(new Map());
  const liveError = signal<string | null>(null);
  const reloads = new Subject<void>();
  reloads.pipe(auditTime(RELOAD_AUDIT_MS), takeUntilDestroyed(destroyRef)).subscribe(() => list.reload());

  const page = computed(() => {
    const current = list.query.page();
    if (!current) return null;
    const known = latest();
    return { ...current, items: current.items.map((job) => newerJob(job, known.get(job.id)) ?? job) };
  });
  const rows = computed(() => [...(page()?.items ?? [])]);

  function receive(job: MediaJob): void {
    const filter = list.filter();
    const onPage = list.query.page()?.items.some((row) => row.id === job.id) ?? false;
    if (onPage) latest.update((known) => new Map(known).set(job.id, newerJob(known.get(job.id), job) ?? job));
    const belongs = matchesFilter(job, filter);
    if ((!onPage && belongs && filter.page === 1) || (onPage && !belongs)) reloads.next();
  }

  function connect(): void {
    liveError.set(null);
    updates()
      .pipe(takeUntilDestroyed(destroyRef))
      .subscribe({ next: receive, error: (error: unknown) => liveError.set(describeError(error)) });
  }
  connect();

  return {
    ...list,
    query: { ...list.query, page, rows },
    rows,
    liveError,
    job: (id) => computed(() => rows().find((job) => job.id === id) ?? null),
    reconnect: () => {
      connect();
      // Changes made while disconnected were missed: the page is fetched again.
      list.reload();
    },
  };
}
