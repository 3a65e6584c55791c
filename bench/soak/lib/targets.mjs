// The soak's targets (issue 17, point 4) as PASS / FAIL / n/a (pass null) lines with what was
// measured. Pure, over the results main.mjs gathers.
import { isContractError } from './outcomes.mjs';

const sum = (values) => values.reduce((total, value) => total + value, 0);

export function targets(results, options) {
  const lines = [];
  const { documents, saves, containers, processes } = results.verification;

  const acknowledged = sum(documents.map((entry) => entry.markers.acknowledged));
  const lost = sum(documents.map((entry) => entry.markers.lost.length));
  const duplicated = sum(documents.map((entry) => entry.markers.duplicated.length));
  const unread = documents.filter((entry) => entry.read === 'nothing').length;
  lines.push({
    name: '0 acknowledged edits lost',
    pass: acknowledged > 0 && lost === 0 && duplicated === 0 && unread === 0,
    detail: `${lost}/${acknowledged} lost, ${duplicated} duplicated, ${unread} of ${documents.length} documents unreadable`,
  });
  lines.push({
    name: '0 acknowledged saves lost',
    pass: saves.checked > 0 && saves.failed.length === 0,
    detail: `${saves.failed.length}/${saves.checked} files not as last written`,
  });

  const windows = results.faults.windows;
  if (options.faults) {
    const flagged = sum(windows.map((window) => sum(Object.values(window.flagged))));
    const inWindows = sum(windows.map((window) => sum(Object.values(window.errors))));
    lines.push({ name: 'during faults, errors only 503/429', pass: windows.length > 0 && flagged === 0, detail: `${flagged} of ${inWindows} errors in fault windows were something else; ${windows.length} faults` });
    const slow = windows.filter((window) => window.recovery.ms === null || window.recovery.ms > options.recoveryTargetMs);
    const worst = Math.max(0, ...windows.map((window) => window.recovery.ms ?? Infinity));
    lines.push({ name: `recovered within ${options.recoveryTargetMs / 1000} s`, pass: windows.length > 0 && slow.length === 0, detail: `${slow.length} of ${windows.length} faults not; slowest ${Number.isFinite(worst) ? `${(worst / 1000).toFixed(1)} s` : 'never'}` });
  } else {
    lines.push({ name: 'during faults, errors only 503/429', pass: null, detail: '--faults off' });
    lines.push({ name: `recovered within ${options.recoveryTargetMs / 1000} s`, pass: null, detail: '--faults off' });
  }
  const outside = results.faults.outside;
  const outsideTotal = sum(Object.values(outside));
  const outsideOther = sum(Object.entries(outside).filter(([cause]) => !isContractError(cause)).map(([, count]) => count));
  lines.push({ name: 'no errors outside fault windows', pass: outsideTotal === 0, detail: `${outsideTotal} (${outsideOther} other than 503/429)` });

  const growth = results.rss.growth;
  lines.push(growth === null
    ? { name: 'RSS growth ≤ 10 % (minute 2 → end)', pass: null, detail: 'no samples (platform processes not found)' }
    : { name: `RSS growth ≤ ${growth.limitPercent} % (${growth.from} → end)`, pass: growth.pass, detail: `${growth.growthPercent.toFixed(1)} % of ${growth.kept.length} processes; ${growth.grewOverLimit.length} grew more on their own; ${growth.started.length} started since (restarts)` });

  lines.push(containers === null
    ? { name: 'no sandbox container left behind', pass: null, detail: 'not checked (platform processes not found)' }
    : { name: 'no sandbox container left behind', pass: containers.pass, detail: containers.error ?? `${containers.running} running (bound ${containers.bound}), ${containers.notRunning.length} not running` });
  lines.push(processes === null
    ? { name: 'no process left behind', pass: null, detail: 'not checked (platform processes not found)' }
    : { name: 'no process left behind', pass: processes.pass, detail: `${processes.orphans.length} new orphans, ${processes.duplicates.length} instances running twice` });
  return lines;
}
