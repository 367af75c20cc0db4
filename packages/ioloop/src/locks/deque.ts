/**
 * A double-ended queue on a growable ring buffer: O(1) push, shift and pop, for the waiter
 * lists of locks and the items of Queue. Internal.
 */
export class Deque<T> implements Iterable<T> {
  #items: (T | undefined)[] = new Array<T | undefined>(16);
  #head = 0;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(item: T): void {
    if (this.#length === this.#items.length) this.#grow();
    this.#items[(this.#head + this.#length) & (this.#items.length - 1)] = item;
    this.#length += 1;
  }

  /** Removes and returns the first item. */
  shift(): T | undefined {
    if (this.#length === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) & (this.#items.length - 1);
    this.#length -= 1;
    return item;
  }

  /** Removes and returns the last item. */
  pop(): T | undefined {
    if (this.#length === 0) return undefined;
    const index = (this.#head + this.#length - 1) & (this.#items.length - 1);
    const item = this.#items[index];
    this.#items[index] = undefined;
    this.#length -= 1;
    return item;
  }

  /** The first item, without removing it. */
  peek(): T | undefined {
    return this.#length === 0 ? undefined : this.#items[this.#head];
  }

  /** Keeps only the items for which `keep` returns true, in order. */
  retain(keep: (item: T) => boolean): void {
    const kept: T[] = [];
    for (const item of this) if (keep(item)) kept.push(item);
    this.#items = new Array<T | undefined>(this.#items.length);
    this.#head = 0;
    this.#length = 0;
    for (const item of kept) this.push(item);
  }

  *[Symbol.iterator](): Iterator<T> {
    const mask = this.#items.length - 1;
    for (let i = 0; i < this.#length; i++) {
      yield this.#items[(this.#head + i) & mask] as T;
    }
  }

  #grow(): void {
    const items = new Array<T | undefined>(this.#items.length * 2);
    for (let i = 0; i < this.#length; i++) {
      items[i] = this.#items[(this.#head + i) & (this.#items.length - 1)];
    }
    this.#items = items;
    this.#head = 0;
  }
}
