import { loadConfig } from '../src/config';

const valid = {
  DATABASE_URL: 'postgres://n:n@127.0.0.1:5432/surge_notification',
  KAFKA_BROKERS: '127.0.0.1:9092',
  SMTP_URL: 'smtp://127.0.0.1:1025',
};

describe('notification config', () => {
  it('fills the documented defaults', () => {
    expect(loadConfig(valid)).toMatchObject({
      PORT: 3005,
      CONSUMER_GROUP: 'notification',
      EVENT_MAX_ATTEMPTS: 8,
      USER_SERVICE_URL: 'http://127.0.0.1:3001',
      KAFKA_BROKERS: ['127.0.0.1:9092'],
    });
  });

  it('reports every problem at once', () => {
    expect(() => loadConfig({ KAFKA_BROKERS: 'not a broker', SMTP_URL: 'http://mail' })).toThrow(
      /DATABASE_URL[\s\S]*KAFKA_BROKERS[\s\S]*SMTP_URL/,
    );
  });

  it('refuses a retry bound the Kafka session timeout cannot hold', () => {
    expect(() => loadConfig({ ...valid, EVENT_MAX_ATTEMPTS: '9' })).toThrow(/EVENT_MAX_ATTEMPTS/);
  });
});
