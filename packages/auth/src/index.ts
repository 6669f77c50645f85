export * from './claims';
export * from './jwk';
export * from './token-verifier';
export * from './remote-jwks';
