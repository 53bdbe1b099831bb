import { listFilter, type ListQueryParams } from '../../../shared/data/list-page';
import { deliveriesList } from './deliveries-filter';

/** The filter the log sends for a query string, with these event types in the catalogue. */
function deliveriesFilter(params: ListQueryParams, types: readonly string[]) {
  const catalogue = types.map((type) => ({ type, description: type }));
  return listFilter(deliveriesList(() => catalogue), params);
}

describe('deliveriesList', () => {
  const ENDPOINT = '3f2b8c1e-9a4d-4c7e-8b1a-2d5e6f7a8b9c';
  const CATALOGUE = ['user.created', 'webhook.test'];

  it('passes a full filter on, the days as local midnights with the last day included', () => {
    const filter = deliveriesFilter(
      {
        endpoint: ENDPOINT,
        event: 'webhook.test',
        status: 'failed',
        from: '2026-03-01',
        to: '2026-03-31',
        page: '2',
        perPage: '50',
      },
      CATALOGUE,
    );
    expect(filter).toEqual({
      endpointId: ENDPOINT,
      eventType: 'webhook.test',
      status: 'FAILED',
      from: new Date(2026, 2, 1).toISOString(),
      to: new Date(2026, 3, 1).toISOString(),
      page: 2,
      perPage: 50,
    });
  });

  it('drops what the API would refuse: a partial id, an unknown event type or status, odd days and page sizes', () => {
    expect(
      deliveriesFilter(
        {
          endpoint: '3f2b8c1e',
          event: 'user.deleted',
          status: 'LOST',
          from: '2026-02-30',
          to: '2026-03-01',
          perPage: '7',
        },
        CATALOGUE,
      ),
    ).toEqual({ page: 1, perPage: 20 });
    // A range the wrong way round is no range.
    expect(deliveriesFilter({ from: '2026-03-02', to: '2026-03-01' }, CATALOGUE)).toEqual({
      page: 1,
      perPage: 20,
    });
  });
});
