import { parseWrk } from './wrk';

const OUTPUT = `Running 3s test @ http://127.0.0.1:4000/api/products/1
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.25ms  812.00us  11.50ms   80.00%
    Req/Sec    18.10k     1.20k   20.00k    70.00%
  Latency Distribution
     50%  812.00us
     75%    3.50ms
     90%    5.00ms
     99%    1.50s
  54321 requests in 3.00s, 20.00MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:  18107.00
Transfer/sec:      6.67MB
`;

describe('parseWrk', () => {
  it('reads throughput, percentiles in any unit, and every kind of error', () => {
    expect(parseWrk(OUTPUT)).toEqual({
      requestsPerSecond: 18107,
      requests: 54321,
      p50Ms: 0.812,
      p99Ms: 1500,
      non2xx: 4,
      socketErrors: 3,
    });
  });

  it('refuses output without a throughput line', () => {
    expect(() => parseWrk('unable to connect to 127.0.0.1:4000 Connection refused')).toThrow(
      /could not read/,
    );
  });
});
