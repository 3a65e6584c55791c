// A progress line on stderr every `everyMs`: elapsed time, users by state and editors connected,
// operations a second by kind since the last line, errors by cause, reconnects.
export function startProgress({ timeline, load, origin, everyMs = 10000, write = (line) => process.stderr.write(`${line}\n`), clock = Date.now }) {
  let seenOps = 0;
  let seenReconnects = 0;
  let last = clock();
  const timer = setInterval(() => {
    const at = clock();
    const seconds = (at - last) / 1000;
    const perKind = {};
    const errors = {};
    for (let i = seenOps; i < timeline.size; i++) {
      const kind = timeline.kinds[timeline.kind[i]];
      perKind[kind] = (perKind[kind] ?? 0) + 1;
      const cause = timeline.causes[timeline.cause[i]];
      if (cause !== 'ok') errors[cause] = (errors[cause] ?? 0) + 1;
    }
    const reconnects = timeline.reconnects.length - seenReconnects;
    seenOps = timeline.size;
    seenReconnects = timeline.reconnects.length;
    last = at;
    const { states, live } = load.snapshot();
    const rates = Object.entries(perKind).map(([kind, count]) => `${kind} ${(count / seconds).toFixed(1)}`).join(', ') || 'none';
    const failed = Object.entries(errors).sort((a, b) => b[1] - a[1]).map(([cause, count]) => `${cause}×${count}`).join(' ') || '0';
    const users = Object.entries(states).map(([state, count]) => `${count} ${state}`).join(', ');
    write(`[soak ${formatElapsed(at - origin)}] users: ${users}; editors live ${live}; ops/s: ${rates}; errors: ${failed}; reconnects: ${reconnects}`);
  }, everyMs);
  return () => clearInterval(timer);
}

export function formatElapsed(ms) {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
