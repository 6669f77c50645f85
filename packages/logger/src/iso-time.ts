/**
 * pino's `isoTime` (`,"time":"2026-12-07T21:45:39.123Z"`), with the date and time up to
 * the second formatted once per second: pino's makes a Date and calls toISOString for
 * every line, 0.8 % of the gateway's CPU per proxied read (one access line each). The
 * text is the same, character for character.
 */
export function isoTimeField(): string {
  const now = Date.now();
  const second = now - (now % 1_000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    // "2026-12-07T21:45:39." : toISOString up to and with the dot.
    cachedPrefix = `,"time":"${new Date(second).toISOString().slice(0, 20)}`;
  }
  const ms = now - second;
  return `${cachedPrefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z"`;
}

let cachedSecond = Number.NaN;
let cachedPrefix = '';
