/** SQLSTATE codes the repositories turn into domain outcomes. */
export const PG_UNIQUE_VIOLATION = '23505';

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pgError = error as { code?: string; constraint?: string } | null;
  return (
    pgError?.code === PG_UNIQUE_VIOLATION && (constraint === undefined || pgError.constraint === constraint)
  );
}
