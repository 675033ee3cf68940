export * from './bench/index.js';
export * from './chunks.js';
export * from './peers.js';
export * from './peers/index.js';
export * from './session-context.js';
export * from './vectors.js';
