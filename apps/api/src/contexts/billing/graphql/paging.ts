/** A `page`/`perPage` filter (1-based, 20 per page by default) as the offset and limit billing's queries take. */
export function pageWindow(filter?: { page?: number; perPage?: number }): { page: number; perPage: number; offset: number; limit: number } {
  const page = filter?.page ?? 1;
  const perPage = filter?.perPage ?? 20;
  return { page, perPage, offset: (page - 1) * perPage, limit: perPage };
}
