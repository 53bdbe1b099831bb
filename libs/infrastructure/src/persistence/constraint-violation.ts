import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';

/**
 * The name of the PostgreSQL constraint an insert or update broke, if that is what failed: through
 * TypeORM (its error wraps the driver's) or straight from the pool (a PreparedStatement).
 */
export function violatedConstraint(error: unknown): string | undefined {
  if (error instanceof QueryFailedError) return (error.driverError as { constraint?: string }).constraint;
  return error instanceof DatabaseError ? error.constraint : undefined;
}
