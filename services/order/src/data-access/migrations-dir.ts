import path from 'node:path';

/** Resolves to src/data-access/migrations from src (tests) and dist (built service) alike. */
export const migrationsDir = path.resolve(__dirname, '..', '..', 'src', 'data-access', 'migrations');
