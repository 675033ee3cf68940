// A small seeded pseudo-random generator for tests that must be replayable: the same seed gives
// the same sizes, recipients, bodies and kill delays (the timing of the processes still varies).

/** A replayable source of random numbers. */
export interface SeededRandom {
  /** The seed it was made with. */
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max] (both included). */
  int(min: number, max: number): number;
  /** An integer in [min, max], log-uniform: small values as likely per decade as large ones. */
  logInt(min: number, max: number): number;
  /** A new generator whose sequence depends on this seed and `salt` only. */
  fork(salt: number): SeededRandom;
}

/**
 * mulberry32: 32 bits of state, good enough spread for test data, and fast.
 *
 * @example
 * ```ts
 * const rng = seededRandom(42);
 * rng.int(50, 800); // the same number every run with seed 42
 * ```
 */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    seed,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    logInt: (min, max) => Math.min(max, Math.floor(min * (max / min) ** next())),
    fork: (salt) =>
      seededRandom((Math.imul(seed ^ 0x9e3779b9, 31) + Math.imul(salt, 0x85ebca6b)) >>> 0),
  };
}
