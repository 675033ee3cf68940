export * from './chunks.js';
export * from './peers.js';
export * from './vectors.js';
