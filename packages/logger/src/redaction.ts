/**
 * Fields that must never reach a log line: credentials, tokens, card tokens and the
 * headers that carry them. pino replaces them with "[REDACTED]". Kept as one list so
 * the test of it covers every service.
 */
const secretKeys = [
  'password',
  'newPassword',
  'accessToken',
  'refreshToken',
  'token',
  'authorization',
  'cookie',
  'set-cookie',
  'privateKey',
  // Card tokens (order and payment bodies, the provider call) and personal data.
  'paymentToken',
  'email',
  'ADMIN_PASSWORD',
  'JWT_PRIVATE_KEY',
  // OAuth client credentials of services (the token endpoint's body, their config).
  'client_secret',
  'access_token',
  'SERVICE_CLIENT_SECRET',
  'SERVICE_CLIENT_SECRETS',
];

export const redactPaths: string[] = [
  ...secretKeys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]),
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-internal-token"]',
];
