/** Where a piece of a message's bytes lies: a segment and a byte range in it. */
export interface Extent {
  readonly segment: number;
  readonly offset: number;
  readonly length: number;
}

interface SegmentAccount {
  readonly seq: number;
  /** Bytes in the file. */
  size: number;
  /** Bytes of live messages' data in it. */
  liveBytes: number;
  /** Live messages whose data, commit record or latest state is in it. */
  refs: number;
  /**
   * Segments holding M records of messages whose D record is in this one: deleting this one first
   * would bring those messages back at recovery.
   */
  readonly deps: Set<number>;
}

interface Placement {
  readonly extents: readonly Extent[];
  /**
   * The segment of the M record that commits these extents: without it, at recovery the chunks
   * would be no message (a message's bytes may all lie in B records of other segments).
   */
  readonly commitSegment: number;
  readonly stateSegment: number;
  /** Every segment still holding an M record of the message. */
  readonly messageSegments: Set<number>;
}

/**
 * The disk accounting of the spool's journal, sans-IO: which segments hold the data and latest
 * state of which live messages, and so which segments may be deleted and which are worth
 * compacting. A segment may be deleted once no live message refers to it and every segment whose
 * messages it removed (D records) is gone; a sparse segment is compacted by writing its live
 * messages again at the head of the journal.
 *
 * @example
 * ```ts
 * const ledger = new SegmentLedger();
 * ledger.addSegment(1);
 * ledger.place('q1', [{ segment: 1, offset: 10, length: 100 }], 1);
 * ledger.forget('q1', 1);
 * ledger.deletable(2); // [1]
 * ```
 */
export class SegmentLedger {
  readonly #segments = new Map<number, SegmentAccount>();
  readonly #placements = new Map<string, Placement>();

  addSegment(seq: number, size = 0): void {
    if (!this.#segments.has(seq))
      this.#segments.set(seq, { seq, size, liveBytes: 0, refs: 0, deps: new Set() });
  }

  /** Counts bytes appended to a segment. */
  grow(seq: number, bytes: number): void {
    const s = this.#segments.get(seq);
    if (s !== undefined) s.size += bytes;
  }

  has(seq: number): boolean {
    return this.#segments.has(seq);
  }

  segments(): number[] {
    return [...this.#segments.keys()].sort((a, b) => a - b);
  }

  extents(id: string): readonly Extent[] | undefined {
    return this.#placements.get(id)?.extents;
  }

  /** A message's data and state were written (an M record in `stateSegment`). */
  place(id: string, extents: readonly Extent[], stateSegment: number): void {
    const before = this.#placements.get(id);
    const messageSegments = new Set(before?.messageSegments ?? []);
    messageSegments.add(stateSegment);
    this.#set(id, { extents, commitSegment: stateSegment, stateSegment, messageSegments });
  }

  /** A message found by recovery, with every segment still holding one of its M records. */
  restore(
    id: string,
    extents: readonly Extent[],
    commitSegment: number,
    stateSegment: number,
    messageSegments: Iterable<number>,
  ): void {
    this.#set(id, {
      extents,
      commitSegment,
      stateSegment,
      messageSegments: new Set(messageSegments),
    });
  }

  /** A message's state was written again (an S record in `segment`). */
  moveState(id: string, segment: number): void {
    const before = this.#placements.get(id);
    if (before === undefined) return;
    this.#set(id, { ...before, stateSegment: segment });
  }

  /** A message was removed by a D record in `segment`. */
  forget(id: string, segment: number): void {
    const before = this.#placements.get(id);
    if (before === undefined) return;
    const s = this.#segments.get(segment);
    if (s !== undefined) for (const m of before.messageSegments) if (m !== segment) s.deps.add(m);
    this.#set(id, undefined);
  }

  /** Adds a D-record dependency found at recovery. */
  addDependency(segment: number, on: number): void {
    if (segment !== on) this.#segments.get(segment)?.deps.add(on);
  }

  /** Segments that may be deleted now (never `active`), oldest first. */
  deletable(active: number): number[] {
    const out: number[] = [];
    for (const s of this.#segments.values()) {
      if (s.seq === active || s.refs > 0) continue;
      let blocked = false;
      for (const d of s.deps) if (this.#segments.has(d)) blocked = true;
      if (!blocked) out.push(s.seq);
    }
    return out.sort((a, b) => a - b);
  }

  /** The segment's file is gone. */
  deleted(seq: number): void {
    this.#segments.delete(seq);
  }

  /**
   * Segments worth compacting: not `active`, still referred to, and either less than half live,
   * or holding back dead segments (through their D records) bigger than their own live bytes.
   */
  compactable(active: number): number[] {
    const blocked = new Map<number, number>();
    for (const s of this.#segments.values())
      if (s.refs === 0 && s.seq !== active)
        for (const d of s.deps) blocked.set(d, (blocked.get(d) ?? 0) + s.size);
    const out: number[] = [];
    for (const s of this.#segments.values()) {
      if (s.seq === active || s.refs === 0) continue;
      if (s.liveBytes * 2 < s.size || (blocked.get(s.seq) ?? 0) > s.liveBytes) out.push(s.seq);
    }
    return out.sort((a, b) => a - b);
  }

  /**
   * The live messages referring to a segment, and whether their data (bytes, or the M record
   * committing them) lies in it.
   */
  referrers(seq: number): { readonly id: string; readonly data: boolean }[] {
    const out: { id: string; data: boolean }[] = [];
    for (const [id, p] of this.#placements) {
      const data = p.commitSegment === seq || p.extents.some((e) => e.segment === seq);
      if (data || p.stateSegment === seq) out.push({ id, data });
    }
    return out;
  }

  /** Totals for tests and stats. */
  account(seq: number): { size: number; liveBytes: number; refs: number } | undefined {
    const s = this.#segments.get(seq);
    return s === undefined ? undefined : { size: s.size, liveBytes: s.liveBytes, refs: s.refs };
  }

  #set(id: string, next: Placement | undefined): void {
    const before = this.#placements.get(id);
    if (before !== undefined) this.#count(before, -1);
    if (next === undefined) this.#placements.delete(id);
    else {
      this.#placements.set(id, next);
      this.#count(next, 1);
    }
  }

  #count(p: Placement, sign: 1 | -1): void {
    const refs = new Set<number>([p.stateSegment, p.commitSegment]);
    for (const e of p.extents) {
      refs.add(e.segment);
      const s = this.#segments.get(e.segment);
      if (s !== undefined) s.liveBytes += sign * e.length;
    }
    for (const seq of refs) {
      const s = this.#segments.get(seq);
      if (s !== undefined) s.refs += sign;
    }
  }
}
