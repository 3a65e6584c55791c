// Percentiles over recorded samples (milliseconds), nearest-rank.

export class Samples {
  #values = [];

  add(value) {
    this.#values.push(value);
  }

  get count() {
    return this.#values.length;
  }

  summary() {
    const sorted = Float64Array.from(this.#values).sort();
    const at = (q) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]);
    const min = sorted.length === 0 ? NaN : sorted[0];
    return { count: sorted.length, min, p50: at(0.5), p99: at(0.99), max: sorted.length === 0 ? NaN : sorted[sorted.length - 1] };
  }
}

export function formatMs(value) {
  return Number.isFinite(value) ? value.toFixed(1) : '–';
}
