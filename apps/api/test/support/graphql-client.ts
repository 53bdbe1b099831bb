export interface GraphqlResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; extensions: { code: string; details?: Record<string, unknown> } & Record<string, unknown> }[];
}

/** POSTs one operation to /graphql, optionally with a bearer credential. */
export async function gql<T = Record<string, unknown>>(
  baseUrl: string,
  query: string,
  variables?: Record<string, unknown>,
  bearer?: string,
): Promise<GraphqlResult<T>> {
  const res = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as Omit<GraphqlResult<T>, 'status'>;
  return { status: res.status, ...body };
}

export const errorCode = (result: GraphqlResult) => result.errors?.[0]?.extensions.code;

/** The result's data, or a failure that shows the errors. */
export function dataOf<T>(result: GraphqlResult<T>): T {
  if (!result.data) throw new Error(`no data: ${JSON.stringify(result.errors)}`);
  return result.data;
}
