import path from 'node:path';

/**
 * Resolves to src/data-access/migrations both from src (tests) and from dist (built
 * service), so SQL files need no copy step.
 */
export const migrationsDir = path.resolve(__dirname, '..', '..', 'src', 'data-access', 'migrations');
