// Which of a document's update sequence numbers the provider holds: everything up to
// `contiguous`, plus the ones above it that arrived early (events may come out of order).
// `contiguous` is what a resumed subscription asks for (after: contiguous).

export class SequenceTracker {
  private last = 0;
  private readonly early = new Set<number>();

  /** The highest seq such that every seq up to it is held. */
  get contiguous(): number {
    return this.last;
  }

  has(seq: number): boolean {
    return seq <= this.last || this.early.has(seq);
  }

  /** Records one received seq; false if it was held already (a duplicate to skip). */
  add(seq: number): boolean {
    if (this.has(seq)) return false;
    this.early.add(seq);
    this.advance();
    return true;
  }

  /**
   * Records that a sync brought everything up to `seq`; returns the seqs it covered that
   * were not held before.
   */
  coverUpTo(seq: number): number[] {
    const covered: number[] = [];
    for (let next = this.last + 1; next <= seq; next += 1) {
      if (!this.early.delete(next)) covered.push(next);
    }
    this.last = Math.max(this.last, seq);
    this.advance();
    return covered;
  }

  private advance() {
    while (this.early.delete(this.last + 1)) this.last += 1;
  }
}
