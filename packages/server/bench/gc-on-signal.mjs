// Preloaded (`node --expose-gc --import ./bench/gc-on-signal.mjs apps/sink/dist/cli.js …`) into a
// server that has no benchmark hooks of its own: SIGUSR2 asks for a full collection before the
// benchmark reads RSS, as the bench's own sink scripts do.
process.on('SIGUSR2', () => globalThis.gc?.());
