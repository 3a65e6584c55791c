import { cpuTicks, descendantsOf, machineTicks, TICKS_PER_SECOND } from './proc.mjs';

// The CPU that named groups of processes use over a window, from /proc utime + stime before
// and after. A group is its root pids, and with `tree` their descendants too (PostgreSQL's
// backends, the workers of a server), including those that started or ended within the window
// (an ended child is counted by its parent's cutime + cstime once it has been waited for).
//
//   const stop = watchCpu([{ name: 'gateway', pids: [123] }, { name: 'postgres', pids: [9], tree: true }]);
//   … const { seconds, groups: { gateway: { cpuSeconds, percent } }, machine } = stop();
function snapshot(groups) {
  const byGroup = new Map();
  for (const group of groups) {
    const ticks = new Map();
    for (const root of group.pids) {
      const rootTicks = cpuTicks(root);
      if (rootTicks === null) continue;
      ticks.set(`${root}`, rootTicks.own);
      if (group.tree) {
        ticks.set(`${root}:children`, rootTicks.children);
        for (const pid of descendantsOf(root)) {
          const childTicks = cpuTicks(pid);
          if (childTicks !== null) ticks.set(`${pid}`, childTicks.own);
        }
      }
    }
    byGroup.set(group.name, ticks);
  }
  return { byGroup, machine: machineTicks(), at: process.hrtime.bigint() };
}

export function watchCpu(allGroups) {
  // A group with no process found (a platform's Redis that was not discovered) is left out, so
  // that it shows as unknown rather than as no CPU.
  const groups = allGroups.filter((group) => group.pids.length > 0);
  const before = snapshot(groups);
  return () => {
    const after = snapshot(groups);
    const seconds = Number(after.at - before.at) / 1e9;
    const result = { seconds, groups: {}, machine: null };
    for (const group of groups) {
      const start = before.byGroup.get(group.name);
      let ticks = 0;
      const end = after.byGroup.get(group.name);
      for (const [key, value] of end) ticks += value - (start.get(key) ?? 0);
      // A process that ended within the window: its whole life is now in its parent's cutime
      // (counted above when the parent is a root of a tree), so its time before the window goes.
      if (group.tree) for (const [key, value] of start) if (!end.has(key) && !key.includes(':')) ticks -= value;
      const cpuSeconds = ticks / TICKS_PER_SECOND;
      result.groups[group.name] = { cpuSeconds, percent: (100 * cpuSeconds) / seconds };
    }
    if (before.machine !== null && after.machine !== null) {
      const cpuSeconds = (after.machine - before.machine) / TICKS_PER_SECOND;
      result.machine = { cpuSeconds, percent: (100 * cpuSeconds) / seconds };
    }
    return result;
  };
}
