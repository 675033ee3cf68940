export * from './proxy/index.js';
export * from './sasl/index.js';
