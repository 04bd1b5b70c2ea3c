const HOUR_MS = 3_600_000;

/**
 * Least-squares slope of a value over a sliding time window, in units per hour, in O(1) per
 * reading: running sums over a ring of readings (doubling when full, never copied per reading),
 * readings evicted from the front, the sums recomputed once as many readings have left as remain
 * (which bounds floating-point drift).
 */
export class TrendWindow {
  #at = new Float64Array(16);
  #value = new Float64Array(16);
  /** capacity − 1: the capacity is a power of two */
  #mask = 15;
  #head = 0;
  #size = 0;
  /** readings evicted since the sums were last recomputed */
  #evicted = 0;
  #base = 0;
  #st = 0;
  #sv = 0;
  #stt = 0;
  #stv = 0;

  get size(): number {
    return this.#size;
  }

  /** ms from the oldest to the newest reading held */
  get spanMs(): number {
    return this.#size === 0 ? 0 : this.#at[(this.#head + this.#size - 1) & this.#mask]! - this.#at[this.#head]!;
  }

  push(at: number, value: number): void {
    if (this.#size === 0) this.#rebase(at);
    if (this.#size > this.#mask) this.#grow();
    const i = (this.#head + this.#size) & this.#mask;
    this.#at[i] = at;
    this.#value[i] = value;
    this.#size++;
    this.#add(at, value, 1);
  }

  /** drops readings taken before `limit` */
  evictBefore(limit: number): void {
    while (this.#size > 0 && this.#at[this.#head]! < limit) {
      this.#add(this.#at[this.#head]!, this.#value[this.#head]!, -1);
      this.#head = (this.#head + 1) & this.#mask;
      this.#size--;
      this.#evicted++;
    }
    if (this.#evicted > 1024 && this.#evicted > this.#size) this.#recompute();
  }

  /** units per hour, or undefined without two distinct instants */
  slopePerHour(): number | undefined {
    const n = this.#size;
    const d = n * this.#stt - this.#st * this.#st;
    return n > 1 && d > 1e-12 ? (n * this.#stv - this.#st * this.#sv) / d : undefined;
  }

  #add(at: number, value: number, sign: 1 | -1): void {
    const t = (at - this.#base) / HOUR_MS;
    this.#st += sign * t;
    this.#sv += sign * value;
    this.#stt += sign * t * t;
    this.#stv += sign * t * value;
  }

  #rebase(base: number): void {
    this.#base = base;
    this.#evicted = 0;
    this.#st = this.#sv = this.#stt = this.#stv = 0;
  }

  /** the sums afresh over the readings held, timed from the oldest */
  #recompute(): void {
    this.#rebase(this.#size === 0 ? 0 : this.#at[this.#head]!);
    for (let k = 0; k < this.#size; k++) {
      const i = (this.#head + k) & this.#mask;
      this.#add(this.#at[i]!, this.#value[i]!, 1);
    }
  }

  #grow(): void {
    const capacity = (this.#mask + 1) * 2;
    const at = new Float64Array(capacity);
    const value = new Float64Array(capacity);
    // full when it grows: the oldest readings from the head to the end, then the wrapped ones
    const first = this.#size - this.#head;
    at.set(this.#at.subarray(this.#head));
    at.set(this.#at.subarray(0, this.#head), first);
    value.set(this.#value.subarray(this.#head));
    value.set(this.#value.subarray(0, this.#head), first);
    this.#at = at;
    this.#value = value;
    this.#mask = capacity - 1;
    this.#head = 0;
  }
}
