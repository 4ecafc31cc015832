import type { CustomerRecord } from '../records.js';

/**
 * One tenant's customers in creation order, for select-between-dates: two binary searches find a
 * range in O(log n) instead of a scan of every customer. New customers are created "now", so an
 * insert is almost always an append.
 */
export class TimeIndex {
  #times: number[] = [];
  #customers: CustomerRecord[] = [];

  get size(): number {
    return this.#customers.length;
  }

  add(customer: CustomerRecord): void {
    const time = Date.parse(customer.createdAt);
    const at = this.#upperBound(time, customer.id);
    if (at === this.#times.length) {
      this.#times.push(time);
      this.#customers.push(customer);
    } else {
      this.#times.splice(at, 0, time);
      this.#customers.splice(at, 0, customer);
    }
  }

  /** Customers created from `from` to `to` (epoch ms, both included), oldest first, ties by id. */
  between(from: number, to: number): CustomerRecord[] {
    if (from > to) return [];
    return this.#customers.slice(this.#firstAtOrAfter(from), this.#firstAfter(to));
  }

  /**
   * A page of the customers created from `from` (included) to `to` (excluded): `offset` rows
   * skipped, at most `limit` answered. Two binary searches and a slice: the cost does not grow with
   * the offset.
   */
  page(from: number, to: number, offset: number, limit: number): CustomerRecord[] {
    const first = this.#firstAtOrAfter(from);
    const end = this.#firstAtOrAfter(to);
    const start = Math.min(end, first + offset);
    return this.#customers.slice(start, Math.min(end, start + limit));
  }

  all(): CustomerRecord[] {
    return this.#customers.slice();
  }

  #firstAtOrAfter(time: number): number {
    let low = 0;
    let high = this.#times.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#times[mid]! < time) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  #firstAfter(time: number): number {
    let low = 0;
    let high = this.#times.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#times[mid]! <= time) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Where a customer goes: after every earlier one, and after equal times with smaller ids. */
  #upperBound(time: number, id: number): number {
    let low = 0;
    let high = this.#times.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const t = this.#times[mid]!;
      if (t < time || (t === time && this.#customers[mid]!.id < id)) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
