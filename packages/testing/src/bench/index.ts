export * from './cpu-placement.js';
export * from './idle-connection-memory.js';
export * from './median-rows.js';
export * from './pipelined-load.js';
export * from './process-cpu.js';
export * from './run-smtp-load.js';
export * from './server-launchers.js';
export * from './syscall-count.js';
