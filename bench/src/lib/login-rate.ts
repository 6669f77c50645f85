import fs from 'node:fs';
import readline from 'node:readline';

/** The request name black-friday-step.py's password logins carry (lib/journey.py, `login`). */
export const LOGIN_REQUEST_NAME = 'auth: login';

/** How much password hashing a step asked of the user service, over its measured window. */
export interface LoginRate {
  /** Password logins sent in the window (answered or not). */
  logins: number;
  loginsPerSecond: number;
  /** Logins per visit started in the window: the figure that says which crowd was measured. */
  loginsPerVisit: number;
}

/** The send time of a password login from one JSON line of the recorder's output, or undefined. */
export function loginTimeOf(line: string): number | undefined {
  if (!line.includes(LOGIN_REQUEST_NAME)) return undefined;
  try {
    const point = JSON.parse(line) as { kind?: string; name?: string; at?: unknown };
    return point.kind === 'request' && point.name === LOGIN_REQUEST_NAME && typeof point.at === 'number'
      ? point.at
      : undefined;
  } catch {
    return undefined;
  }
}

/** Send times of every password login a step's points file holds; empty when the file is missing. */
export async function readLoginTimes(file: string): Promise<number[]> {
  const times: number[] = [];
  if (!fs.existsSync(file)) return times;
  const input = fs.createReadStream(file);
  for await (const line of readline.createInterface({ input, crlfDelay: Infinity })) {
    const at = loginTimeOf(line);
    if (at !== undefined) times.push(at);
  }
  return times;
}

/**
 * Logins over the step's measured window, the window as judgeStep takes it (the first
 * arrival plus the warm-up to the step's end), so the rate sits beside the step's latencies.
 */
export function loginRate(
  loginTimes: readonly number[],
  visits: readonly number[],
  window: { stepSeconds: number; warmupSeconds: number },
): LoginRate {
  const first = visits.length > 0 ? Math.min(...visits) : 0;
  const from = first + window.warmupSeconds * 1000;
  const to = first + window.stepSeconds * 1000;
  const seconds = Math.max(0, window.stepSeconds - window.warmupSeconds);
  const inWindow = (at: number) => at >= from && at < to;
  const logins = loginTimes.filter(inWindow).length;
  const visitsInWindow = visits.filter(inWindow).length;
  return {
    logins,
    loginsPerSecond: seconds > 0 ? logins / seconds : 0,
    loginsPerVisit: visitsInWindow > 0 ? logins / visitsInWindow : 0,
  };
}
