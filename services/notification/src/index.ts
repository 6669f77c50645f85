/**
 * What other workspaces may use of the notification service: its config parser, which the
 * deployment checks (infra/stack/test/deploy-config.test.ts) run on every manifest's environment.
 */
export { loadConfig, type NotificationConfig } from './config';
/** And the repository the service-reads bench writes notifications with, as the event consumer does. */
export { createNotificationRepository } from './data-access/notification-repository';
