// A small seeded random source (sfc32), so that a failing session can be replayed from
// its printed seed: every random choice of a session comes from here, never Math.random.

/** Mixes a 32-bit value well (murmur3's finaliser); used to derive independent seeds. */
export function mix32(value) {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A seed for a part (a session, a client) derived from its parent's seed and its index. */
export function deriveSeed(seed, index) {
  return mix32((mix32(seed) + Math.imul(index + 1, 0x9e3779b9)) >>> 0);
}

export class Rng {
  #a;
  #b;
  #c;
  #d;

  constructor(seed) {
    this.#a = 0x9e3779b9;
    this.#b = 0x243f6a88;
    this.#c = 0xb7e15162;
    this.#d = seed >>> 0;
    // The first outputs of sfc32 still resemble the seed: skip them.
    for (let i = 0; i < 15; i++) {
      this.next();
    }
  }

  /** A float in [0, 1). */
  next() {
    const t = (((this.#a + this.#b) >>> 0) + this.#d) >>> 0;
    this.#d = (this.#d + 1) >>> 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) >>> 0;
    this.#c = ((this.#c << 21) | (this.#c >>> 11)) >>> 0;
    this.#c = (this.#c + t) >>> 0;
    return t / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min, max) {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability) {
    return this.next() < probability;
  }

  pick(items) {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks a key of `weights` ({name: weight}) with probability proportional to its weight. */
  weighted(weights) {
    const entries = Object.entries(weights).filter(([, weight]) => weight > 0);
    let roll = this.next() * entries.reduce((sum, [, weight]) => sum + weight, 0);
    for (const [name, weight] of entries) {
      roll -= weight;
      if (roll < 0) {
        return name;
      }
    }
    return entries[entries.length - 1][0];
  }

  /** `count` distinct items of `items`, in random order. */
  sample(items, count) {
    const pool = [...items];
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    return pool.slice(0, count);
  }
}
