import { performance } from 'node:perf_hooks';
import { Samples } from './stats.mjs';

// The typing schedule, open loop: every client types one keystroke every `period` ms from a
// random phase, whatever the system does with them (a client whose operation is unacknowledged
// composes the keystroke into its buffer, as a real client does; it does not type later). A
// keystroke is handed its due time, from which its latency is measured, so that a keystroke
// typed late because the load generator was busy is not measured as if it were on time. One
// timer for the whole schedule (a min-heap of due times), armed for the next keystroke due.
export class OpenLoop {
  #heap = [];
  #timer = null;
  #running = false;
  #window = { from: Infinity, to: -Infinity };
  typedInWindow = 0;
  lag = new Samples(); // how late keystrokes due in the window were typed, ms

  // Each client's first keystroke is due at a random point of its first period after `startAt`.
  add(client, period, startAt = performance.now()) {
    this.#push({ due: startAt + Math.random() * period, period, client });
  }

  // Every client's period from its next keystroke on (the ramp's next step).
  setPeriod(period) {
    for (const entry of this.#heap) entry.period = period;
  }

  measure(from, to) {
    this.#window = { from, to };
    this.typedInWindow = 0;
    this.lag = new Samples();
  }

  start() {
    this.#running = true;
    this.#arm();
  }

  stop() {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#timer = null;
  }

  #arm() {
    if (!this.#running || this.#heap.length === 0) return;
    const wait = this.#heap[0].due - performance.now();
    this.#timer = setTimeout(() => this.#fire(), Math.max(0, Math.ceil(wait)));
  }

  #fire() {
    this.#timer = null;
    if (!this.#running) return;
    let now = performance.now();
    while (this.#running && this.#heap.length > 0 && this.#heap[0].due <= now) {
      const entry = this.#pop();
      if (entry.due >= this.#window.from && entry.due < this.#window.to) {
        this.typedInWindow++;
        this.lag.add(now - entry.due);
      }
      entry.client.keystroke(entry.due);
      entry.due += entry.period;
      this.#push(entry);
      now = performance.now();
    }
    this.#arm();
  }

  #push(entry) {
    const heap = this.#heap;
    heap.push(entry);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (heap[parent].due <= heap[index].due) break;
      [heap[parent], heap[index]] = [heap[index], heap[parent]];
      index = parent;
    }
  }

  #pop() {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0) {
      heap[0] = last;
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        const right = left + 1;
        let smallest = index;
        if (left < heap.length && heap[left].due < heap[smallest].due) smallest = left;
        if (right < heap.length && heap[right].due < heap[smallest].due) smallest = right;
        if (smallest === index) break;
        [heap[smallest], heap[index]] = [heap[index], heap[smallest]];
        index = smallest;
      }
    }
    return top;
  }
}
