// One step of the scaling search (npm run load -- scaling): browsing and search, the traffic the
// product service serves, held at LOAD_RATE visits per second for LOAD_STEP_SECONDS. The
// run passes when browse and search meet their SLOs at that rate and k6 could keep it up.
import { announceStart, browse, num, prepareShop, search, sloThresholds } from './lib/shop.js';

const rate = num('LOAD_RATE', 10);
const seconds = num('LOAD_STEP_SECONDS', 60);

export const options = {
  scenarios: {
    step: {
      executor: 'constant-arrival-rate',
      rate,
      timeUnit: '1s',
      duration: `${seconds}s`,
      // A visit with its think times lasts 1 to 5 s: enough VUs ready for that from the start.
      preAllocatedVUs: Math.ceil(rate * 5),
      maxVUs: Math.max(Math.ceil(rate * 5), num('LOAD_MAX_VUS', Math.ceil(rate * 10))),
    },
  },
  thresholds: {
    ...sloThresholds(['browse', 'search']),
    // A rate is sustained only if k6 could start (almost) every visit: when answers are so
    // slow that every VU is busy, visits are dropped and the real rate is lower.
    dropped_iterations: [`count<=${Math.max(2, Math.floor(rate * seconds * 0.02))}`],
  },
};

export function setup() {
  const shop = prepareShop({ customers: 1, products: 1 });
  announceStart();
  return shop;
}

export default function (shop) {
  if (Math.random() < 0.85) browse(shop);
  else search(shop);
}
