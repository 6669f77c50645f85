import pino from 'pino';
import { isoTimeField } from './iso-time';

describe('the time field of a log line', () => {
  afterEach(() => jest.restoreAllMocks());

  it('is what pino isoTime writes, for every millisecond of a second and across seconds and days', () => {
    const starts = [
      Date.UTC(2026, 11, 7, 21, 45, 39),
      Date.UTC(2026, 11, 31, 23, 59, 59),
      Date.UTC(2027, 1, 28, 0, 0, 0),
    ];
    const clock = jest.spyOn(Date, 'now');
    for (const start of starts) {
      for (let ms = 0; ms < 2_000; ms += 1) {
        clock.mockReturnValue(start + ms);
        expect(isoTimeField()).toBe(pino.stdTimeFunctions.isoTime());
      }
    }
  });

  it('is right when the clock goes back a second', () => {
    const clock = jest.spyOn(Date, 'now');
    clock.mockReturnValue(Date.UTC(2026, 11, 7, 21, 45, 40, 5));
    isoTimeField();
    clock.mockReturnValue(Date.UTC(2026, 11, 7, 21, 45, 39, 999));
    expect(isoTimeField()).toBe(',"time":"2026-12-07T21:45:39.999Z"');
  });
});
