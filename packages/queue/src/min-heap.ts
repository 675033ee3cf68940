/**
 * A binary min-heap ordered by a numeric key: the due-time index of the queue. Removal is lazy:
 * callers push a fresh entry when an item changes and skip stale entries as they pop them, so an
 * update costs O(log n) and no search.
 *
 * @example
 * ```ts
 * const heap = new MinHeap<{ at: number }>((e) => e.at);
 * heap.push({ at: 5 }); heap.push({ at: 1 });
 * heap.pop(); // { at: 1 }
 * ```
 */
export class MinHeap<T> {
  readonly #items: T[] = [];
  readonly #key: (item: T) => number;

  constructor(key: (item: T) => number) {
    this.#key = key;
  }

  get size(): number {
    return this.#items.length;
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  push(item: T): void {
    const items = this.#items;
    items.push(item);
    let i = items.length - 1;
    const k = this.#key(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as T;
      if (this.#key(p) <= k) break;
      items[i] = p;
      i = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    const n = items.length;
    const k = this.#key(last);
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.#key(items[r] as T) < this.#key(items[l] as T) ? r : l;
      const child = items[c] as T;
      if (this.#key(child) >= k) break;
      items[i] = child;
      i = c;
    }
    items[i] = last;
    return top;
  }
}
