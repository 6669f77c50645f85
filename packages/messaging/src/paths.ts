import path from 'node:path';

/** The outbox and inbox tables; each service applies them to its own database. */
export const messagingMigrationsDir = path.resolve(__dirname, '..', 'migrations');
