// Resident-memory growth between two samples of the platform's processes, each
// `{label, at, processes: [{pid, start, name, rssKiB}]}`. A process is the same one in both
// samples when its pid and start time agree; one that a fault killed and the AppHost started
// again is a new process: it is listed apart, not counted as growth of the one it replaced.
export function rssGrowth(before, after, { limitPercent = 10 } = {}) {
  const key = (process) => `${process.pid}:${process.start}`;
  const earlier = new Map(before.processes.map((process) => [key(process), process]));
  const later = new Map(after.processes.map((process) => [key(process), process]));
  const kept = [];
  for (const [id, process] of later) {
    const was = earlier.get(id);
    if (was !== undefined) kept.push({ pid: process.pid, name: process.name, beforeKiB: was.rssKiB, afterKiB: process.rssKiB, growthPercent: percent(was.rssKiB, process.rssKiB) });
  }
  const sumBefore = kept.reduce((sum, process) => sum + process.beforeKiB, 0);
  const sumAfter = kept.reduce((sum, process) => sum + process.afterKiB, 0);
  const growthPercent = percent(sumBefore, sumAfter);
  return {
    from: before.label,
    to: after.label,
    kept: kept.sort((a, b) => b.afterKiB - a.afterKiB),
    sumBeforeKiB: sumBefore,
    sumAfterKiB: sumAfter,
    growthPercent,
    limitPercent,
    // Processes the sum's verdict hides: each that grew more than the limit on its own.
    grewOverLimit: kept.filter((process) => process.growthPercent > limitPercent),
    started: [...later.entries()].filter(([id]) => !earlier.has(id)).map(([, process]) => process),
    ended: [...earlier.entries()].filter(([id]) => !later.has(id)).map(([, process]) => process),
    pass: kept.length > 0 && growthPercent <= limitPercent,
  };
}

const percent = (from, to) => (from > 0 ? (100 * (to - from)) / from : to > 0 ? Infinity : 0);

export const sumKiB = (sample) => sample.processes.reduce((sum, process) => sum + process.rssKiB, 0);
