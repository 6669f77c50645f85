import nodemailer from 'nodemailer';
import type { Mailer } from '../domain/ports';

export interface SmtpMailerOptions {
  url: string;
  from: string;
  /** Per step (connect, greeting, each command). */
  timeoutMs: number;
}

export interface SmtpMailer extends Mailer {
  close(): void;
}

/**
 * nodemailer over a small pool of SMTP connections. Its default timeouts are minutes
 * long; a hung SMTP server would then hold a Kafka consumer past its session timeout,
 * so every step gets `timeoutMs`.
 */
export function createSmtpMailer(options: SmtpMailerOptions): SmtpMailer {
  const transport = nodemailer.createTransport({
    url: options.url,
    pool: true,
    maxConnections: 2,
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
  });
  return {
    async send(email) {
      await transport.sendMail({
        from: options.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        // Stable per notification: a resend after a crash is recognisably the same message.
        messageId: `<${email.notificationId}@notification.surge.local>`,
        headers: { 'X-Surge-Notification-Id': email.notificationId },
      });
    },
    close: () => transport.close(),
  };
}
