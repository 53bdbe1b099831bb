import { QueryFailedError } from 'typeorm';

/** The name of the PostgreSQL constraint an insert or update broke, if that is what failed. */
export function violatedConstraint(error: unknown): string | undefined {
  return error instanceof QueryFailedError ? (error.driverError as { constraint?: string }).constraint : undefined;
}
