const HOUR_MS = 3_600_000;

/**
 * Least-squares slope of a value over a sliding time window, in units per hour, in O(1) per
 * reading: running sums, readings evicted from the front, sums recomputed when the buffer is
 * compacted (which also bounds floating-point drift).
 */
export class TrendWindow {
  #at: number[] = [];
  #value: number[] = [];
  #head = 0;
  #base = 0;
  #st = 0;
  #sv = 0;
  #stt = 0;
  #stv = 0;

  get size(): number {
    return this.#at.length - this.#head;
  }

  /** ms from the oldest to the newest reading held */
  get spanMs(): number {
    return this.size === 0 ? 0 : this.#at[this.#at.length - 1]! - this.#at[this.#head]!;
  }

  push(at: number, value: number): void {
    if (this.size === 0) this.#reset(at);
    this.#at.push(at);
    this.#value.push(value);
    this.#add(at, value, 1);
  }

  /** drops readings taken before `limit` */
  evictBefore(limit: number): void {
    while (this.#head < this.#at.length && this.#at[this.#head]! < limit) {
      this.#add(this.#at[this.#head]!, this.#value[this.#head]!, -1);
      this.#head++;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#at.length) this.#compact();
  }

  /** units per hour, or undefined without two distinct instants */
  slopePerHour(): number | undefined {
    const n = this.size;
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

  #reset(base: number): void {
    this.#at = [];
    this.#value = [];
    this.#head = 0;
    this.#base = base;
    this.#st = this.#sv = this.#stt = this.#stv = 0;
  }

  #compact(): void {
    const at = this.#at.slice(this.#head);
    const value = this.#value.slice(this.#head);
    this.#reset(at[0] ?? 0);
    at.forEach((a, i) => this.push(a, value[i]!));
  }
}
