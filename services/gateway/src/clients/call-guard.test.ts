import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { CallGuard } from './call-guard';

const responseOf = (): ServerResponse => new ServerResponse(new IncomingMessage(new Socket()));

describe('CallGuard', () => {
  it('aborts a call at once when its client hung up before the call started', () => {
    const res = responseOf();
    res.destroy();
    const guard = new CallGuard(res, 1_000);
    const abort = jest.fn();

    guard.bindAbort(abort);
    guard.release();

    expect(guard.clientGone).toBe(true);
    expect(abort).toHaveBeenCalledWith(expect.objectContaining({ name: 'ProxyAbort' }));
  });

  it('aborts a running call when its client hangs up', () => {
    const res = responseOf();
    const guard = new CallGuard(res, 1_000);
    const abort = jest.fn();
    guard.bindAbort(abort);

    res.emit('close');
    guard.release();

    expect(guard.clientGone).toBe(true);
    expect(abort).toHaveBeenCalledTimes(1);
  });

  it('leaves a call alone while its client waits', () => {
    const guard = new CallGuard(responseOf(), 1_000);
    const abort = jest.fn();

    guard.bindAbort(abort);
    guard.release();

    expect(guard.clientGone).toBe(false);
    expect(abort).not.toHaveBeenCalled();
  });
});
