// A Black Friday morning as arrivals per second: a quiet baseline, the ramp as people wake
// up, the spike when the deals go live, a busy plateau and the cool-down. The mix is 75%
// browsing, 10% search, 10% cart, 5% checkout, with logins and token refreshes. Each
// group has SLO thresholds (p95, p99, error rate) that pass or fail the run.
//   LOAD_BASE_RATE      visits per second at baseline (default 4: fits 2 cores with the stack)
//   LOAD_SPIKE_FACTOR   the spike as a multiple of the baseline (default 5)
//   LOAD_DURATION_SCALE stretches every stage (default 1: about 12 minutes)
import { announceStart, num, prepareShop, sloThresholds, visit } from './lib/shop.js';

const base = num('LOAD_BASE_RATE', 4);
const spike = Math.round(base * num('LOAD_SPIKE_FACTOR', 5));
// k6 wants whole arrivals per time unit.
const rate = (r) => Math.max(1, Math.round(r));
const scale = num('LOAD_DURATION_SCALE', 1);
const secs = (s) => `${Math.max(1, Math.round(s * scale))}s`;

export const options = {
  scenarios: {
    black_friday: {
      executor: 'ramping-arrival-rate',
      startRate: rate(base),
      timeUnit: '1s',
      // A visit with its think times lasts 1 to 5 s: VUs ready for the spike from the start.
      preAllocatedVUs: Math.ceil(spike * 4),
      maxVUs: num('LOAD_MAX_VUS', Math.ceil(spike * 8)),
      stages: [
        { target: rate(base), duration: secs(120) }, // baseline
        { target: rate(base * 3), duration: secs(180) }, // the ramp
        { target: spike, duration: secs(30) }, // deals go live
        { target: spike, duration: secs(60) }, // the spike
        { target: rate(base * 3), duration: secs(30) },
        { target: rate(base * 3), duration: secs(180) }, // plateau
        { target: rate(base / 2), duration: secs(120) }, // cool-down
      ],
    },
  },
  thresholds: sloThresholds(),
};

export function setup() {
  const shop = prepareShop();
  announceStart();
  return shop;
}

export default function (shop) {
  visit(shop);
}
