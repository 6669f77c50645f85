import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requestsBetween } from './generator-cost';

describe("requests between two instants, from Locust's per-second history", () => {
  it('interpolates the cumulative count of the Aggregated rows', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'history-')), 'h.csv');
    fs.writeFileSync(
      file,
      [
        'Timestamp,User Count,Type,Name,Requests/s,Failures/s,Total Request Count',
        '100,64,GET,trivial,0,0,0',
        '100,64,,Aggregated,0,0,0',
        '101,64,,Aggregated,900,0,1000',
        '102,64,,Aggregated,950,0,2000',
        '103,64,,Aggregated,980,0,3000',
      ].join('\n'),
    );
    expect(requestsBetween(file, 100.5, 102.5)).toBeCloseTo(2000);
    expect(requestsBetween(file, 101, 103)).toBe(2000);
  });
});
