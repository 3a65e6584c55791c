// Percentiles over recorded samples (milliseconds), nearest-rank.

export class Samples {
  #values = [];

  add(value) {
    this.#values.push(value);
  }

  get count() {
    return this.#values.length;
  }

  // `missing`: that many more samples, infinitely large (keystrokes never delivered).
  summary({ missing = 0 } = {}) {
    const sorted = Float64Array.from(this.#values).sort();
    const total = sorted.length + missing;
    const at = (q) => {
      if (total === 0) return NaN;
      const rank = Math.min(total - 1, Math.ceil(q * total) - 1);
      return rank < sorted.length ? sorted[rank] : Infinity;
    };
    return {
      count: sorted.length,
      missing,
      min: sorted.length === 0 ? NaN : sorted[0],
      p50: at(0.5),
      p99: at(0.99),
      max: missing > 0 ? Infinity : sorted.length === 0 ? NaN : sorted[sorted.length - 1],
    };
  }
}

export function median(values) {
  const finite = values.filter((value) => value !== null && value !== undefined && !Number.isNaN(value));
  if (finite.length === 0) return NaN;
  const sorted = [...finite].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function formatMs(value) {
  if (value === Infinity) return '∞';
  return Number.isFinite(value) ? value.toFixed(1) : '–';
}

export function formatInteger(value) {
  if (value === Infinity) return '∞';
  return Number.isFinite(value) ? String(Math.round(value)) : '–';
}
