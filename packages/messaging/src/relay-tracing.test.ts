import { randomUUID } from 'node:crypto';
import { endPublishSpans, startPublishSpan } from './relay-tracing';

describe('publish spans without a tracing SDK', () => {
  it('send the traceparent stored with the row unchanged', () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const row = {
      id: randomUUID(),
      seq: '7',
      topic: 'orders',
      message_key: randomUUID(),
      event_type: 'order.paid',
      headers: { traceparent },
      created_at: new Date(),
    };

    const publish = startPublishSpan(row, 1);
    endPublishSpans([publish], new Error('broker down'));

    expect(publish.traceparent).toBe(traceparent);
    expect(publish.span.isRecording()).toBe(false);
  });

  it('send no traceparent for a row stored without one', () => {
    const row = {
      id: randomUUID(),
      seq: '8',
      topic: 'users',
      message_key: randomUUID(),
      event_type: 'user.registered',
      headers: {},
      created_at: new Date(),
    };

    expect(startPublishSpan(row, 1).traceparent).toBeUndefined();
  });
});
