export * from './sasl/index.js';
