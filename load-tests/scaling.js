// One step of the scaling search (pnpm load scaling): browsing and search, the traffic the
// product service serves, held at LOAD_RATE visits per second for LOAD_STEP_SECONDS. The
// run passes when browse and search meet their SLOs at that rate.
import { announceStart, browse, num, prepareShop, search, sloThresholds } from './lib/shop.js';

const rate = num('LOAD_RATE', 10);

export const options = {
  scenarios: {
    step: {
      executor: 'constant-arrival-rate',
      rate,
      timeUnit: '1s',
      duration: `${num('LOAD_STEP_SECONDS', 60)}s`,
      preAllocatedVUs: Math.ceil(rate * 2),
      maxVUs: num('LOAD_MAX_VUS', Math.ceil(rate * 10)),
    },
  },
  thresholds: sloThresholds(['browse', 'search']),
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
