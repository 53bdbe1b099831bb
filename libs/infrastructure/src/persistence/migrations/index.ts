import { InitialSchema1763740000000 } from './1763740000000-initial-schema';

/** Every migration, oldest first. Listed explicitly so the build and the tests run the same set. */
export const MIGRATIONS = [InitialSchema1763740000000];
