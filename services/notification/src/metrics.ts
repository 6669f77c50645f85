import { Counter, type Registry } from 'prom-client';
import type { NotificationMetrics } from './domain/ports';

/**
 * `notifications_total{type, outcome}`: outcome is sent, send_failed (retried later),
 * gave_up (FAILED after the last attempt), duplicate (redelivery ignored) or deferred
 * (event before its user's user.registered; parked until it arrives).
 */
export function createNotificationMetrics(registry: Registry): NotificationMetrics {
  const total = new Counter({
    name: 'notifications_total',
    help: 'Notifications by event type and outcome',
    labelNames: ['type', 'outcome'],
    registers: [registry],
  });
  return { count: (type, outcome) => total.inc({ type, outcome }) };
}
