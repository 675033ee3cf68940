/**
 * Bodies that came with their leases (the `lease` function returns a small message's bytes), kept
 * until every lease that brought one is settled or lost, so that `read` of a leased message costs
 * no round trip. Bounded: past `max` bodies the oldest is dropped (a later `read` asks the
 * database).
 *
 * @example
 * ```ts
 * const bodies = new InlineBodies(1024);
 * bodies.hold(lease.leaseId, lease.id, bytes);
 * bodies.get(lease.id); // the bytes, until:
 * bodies.release(lease.leaseId);
 * ```
 */
export class InlineBodies {
  readonly #max: number;
  /** Queue id → the body, and how many held leases brought it. */
  readonly #bodies = new Map<string, { readonly bytes: Uint8Array; holds: number }>();
  /** Lease id → queue id, for the leases that brought a body. */
  readonly #leases = new Map<string, string>();

  constructor(max: number) {
    this.#max = max;
  }

  get size(): number {
    return this.#bodies.size;
  }

  hold(leaseId: string, id: string, bytes: Uint8Array): void {
    const entry = this.#bodies.get(id);
    if (entry !== undefined) entry.holds++;
    else {
      if (this.#bodies.size >= this.#max) {
        const oldest = this.#bodies.keys().next().value as string;
        this.#bodies.delete(oldest);
      }
      this.#bodies.set(id, { bytes, holds: 1 });
    }
    this.#leases.set(leaseId, id);
  }

  get(id: string): Uint8Array | undefined {
    return this.#bodies.get(id)?.bytes;
  }

  /** The lease is settled or lost: its body goes once no other held lease brought it. */
  release(leaseId: string): void {
    const id = this.#leases.get(leaseId);
    if (id === undefined) return;
    this.#leases.delete(leaseId);
    const entry = this.#bodies.get(id);
    if (entry !== undefined && --entry.holds <= 0) this.#bodies.delete(id);
  }

  clear(): void {
    this.#bodies.clear();
    this.#leases.clear();
  }
}
