// Steady traffic in the Black Friday mix while the runner (npm run load -- outage) injects the
// chaos scenarios one after another. It runs until the runner stops it (SIGINT) when the
// last fault has been recovered; no thresholds: the report shows what faults did.
//   LOAD_RATE  visits per second (default 6)
import { announceStart, num, prepareShop, visit } from './lib/shop.js';

const rate = num('LOAD_RATE', 6);

export const options = {
  scenarios: {
    steady: {
      executor: 'constant-arrival-rate',
      rate,
      timeUnit: '1s',
      duration: __ENV.LOAD_MAX_DURATION || '3h',
      preAllocatedVUs: Math.ceil(rate * 5),
      maxVUs: num('LOAD_MAX_VUS', Math.ceil(rate * 20)),
    },
  },
};

export function setup() {
  const shop = prepareShop();
  announceStart();
  return shop;
}

export default function (shop) {
  visit(shop);
}
