/** One invariant's verdict: how many things it looked at and what broke it. */
export interface InvariantResult {
  name: string;
  description: string;
  checked: number;
  violations: string[];
}

export interface AuditReport {
  at: string;
  /** Seconds spent waiting for the system to settle before this verdict. */
  settledAfterSeconds: number;
  invariants: InvariantResult[];
  ok: boolean;
}

/** A pg client per service database, opened by the auditor with the admin role. */
export interface AuditDatabases {
  order: Queryable;
  payment: Queryable;
  provider: Queryable;
  product: Queryable;
  notification: Queryable;
  /** Every service database with an outbox, by name. */
  outboxes: Record<string, Queryable>;
}

export interface Queryable {
  query<R>(sql: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

export interface AuditBounds {
  /** An unpublished outbox row older than this is a violation. */
  outboxMaxAgeSeconds: number;
  /** An order still waiting for payment this long past its deadline is a violation. */
  deadlineGraceSeconds: number;
}
