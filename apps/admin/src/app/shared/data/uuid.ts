const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The API only accepts UUIDs as user and actor ids (anything else is BAD_USER_INPUT). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
