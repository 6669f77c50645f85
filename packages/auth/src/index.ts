export * from './claims';
export * from './jwk';
export * from './token-verifier';
export * from './service-token-verifier';
export * from './service-tokens';
export * from './remote-jwks';
export * from './signing-key-pair';
