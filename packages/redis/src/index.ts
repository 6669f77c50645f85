export * from './create-redis';
export * from './within';
