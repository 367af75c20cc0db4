/**
 * OpenStreams: the streams of one HTTP/2 connection that are open now, kept as a doubly linked
 * list threaded through the streams themselves.
 *
 * Why not a Set: a connection lives long, so its Set's hash table is in V8's old generation, and
 * with streams added and deleted all the time V8 rebuilds that table every few requests. The
 * table it leaves behind is dead but not collected until the next full collection, and it still
 * points at the streams it held; the young-generation collector counts such old-to-young
 * pointers as live, so nearly every request's stream connection (and the context hanging from
 * it) survived into the old generation instead of dying young. V8's sampling heap profiler under
 * h2load showed about 150 bytes a request promoted from there with a Set, under 15 without. A
 * list has no table to rebuild: its one old-to-young pointer, the head, is overwritten in place.
 */

/** What a list member carries: its neighbours (null at either end, and when not in a list). */
export interface OpenStreamLinks<Member> {
  openPrevious: Member | null;
  openNext: Member | null;
}

export class OpenStreams<Member extends OpenStreamLinks<Member>> implements Iterable<Member> {
  #head: Member | null = null;
  #size = 0;

  /** How many streams are open. */
  get size(): number {
    return this.#size;
  }

  /** Adds a stream that is in no list. */
  add(member: Member): void {
    const head = this.#head;
    member.openPrevious = null;
    member.openNext = head;
    if (head !== null) head.openPrevious = member;
    this.#head = member;
    this.#size++;
  }

  /** Removes a stream added before (a second call does nothing). */
  delete(member: Member): void {
    const { openPrevious: previous, openNext: next } = member;
    if (previous === null && this.#head !== member) return;
    if (previous === null) this.#head = next;
    else previous.openNext = next;
    if (next !== null) next.openPrevious = previous;
    member.openPrevious = null;
    member.openNext = null;
    this.#size--;
  }

  *[Symbol.iterator](): IterableIterator<Member> {
    for (let member = this.#head; member !== null; member = member.openNext) yield member;
  }
}
