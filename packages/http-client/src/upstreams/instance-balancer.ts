/** What the balancer needs to know about an instance. */
export interface Loaded {
  /** Requests sent to the instance whose answer has not finished yet. */
  readonly inflight: number;
}

/** `Math.random`, or a seeded source in a test. */
export type RandomSource = () => number;

/**
 * "Power of two choices": pick two distinct candidates at random and send the request
 * to the one with fewer requests in flight.
 *
 * Why not round-robin: it ignores load, so a slow instance (GC pause, a cold cache, a
 * noisy neighbour) keeps receiving its full share and piles up a queue. Why not a
 * plain least-outstanding scan: every gateway replica sees the same "least loaded"
 * instance at the same moment and they all stampede it, while two random choices
 * spread that herd and still avoid the loaded instance almost always. It is also
 * O(1) and needs no shared state between gateway replicas.
 */
export function pickLeastLoadedOfTwo<T extends Loaded>(
  candidates: readonly T[],
  random: RandomSource = Math.random,
): T | undefined {
  if (candidates.length <= 1) return candidates[0];
  const first = Math.floor(random() * candidates.length) % candidates.length;
  // Uniform over the others: draw from n-1 slots and skip over the first choice.
  let second = Math.floor(random() * (candidates.length - 1)) % (candidates.length - 1);
  if (second >= first) second += 1;
  const a = candidates[first];
  const b = candidates[second];
  if (!a || !b) return a ?? b;
  return b.inflight < a.inflight ? b : a;
}
