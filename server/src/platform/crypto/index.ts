export * from './sm.js';
export * from './totp.js';
