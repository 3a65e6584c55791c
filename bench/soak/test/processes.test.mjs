// The platform's processes found as on a running `./webide up`, and the kill and restart faults,
// on stand-ins: processes with the run's marker, an AppHost command line, service binary names
// and a redis-server, which this test "restarts" itself as the AppHost would.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Rng } from '../../../web/e2e/collab/rng.mjs';
import { killService, restartInfrastructure } from '../lib/fault-actions.mjs';
import { duplicateInstances, platformPids, runMarker, sampleRss, serviceInstances } from '../lib/processes.mjs';

const root = mkdtempSync(join(tmpdir(), 'soak-processes-'));
const marker = `soak-test-${process.pid}`;
const children = new Set();

function start(argv0, args, instance, executable = process.execPath) {
  const child = spawn(executable, args, {
    argv0,
    detached: true, // a session of its own, as the orchestrator starts them
    stdio: 'ignore',
    env: { ...process.env, WEBIDE_RUN_ID: marker, ...(instance ? { OTEL_SERVICE_NAME: instance } : {}) },
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}
const idle = ['-e', 'setTimeout(() => {}, 120000)'];

after(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

test('the run is found from its AppHost; services by binary and instance, never the Docker gate', async () => {
  start(`${root}/AppHost/bin/WebIde.AppHost`, idle);
  const collaboration = start(`${root}/services/Collaboration/bin/WebIde.Collaboration`, idle, 'collaboration-1');
  start(`${root}/services/Execution/bin/WebIde.Execution`, [...idle, 'docker-gate'], 'docker-gate');
  start('dotnet', [...idle, `${root}/services/Identity/bin/WebIde.Identity.dll`], 'identity');
  await delay(300);
  assert.equal(runMarker(root), marker);
  assert.equal(runMarker(join(root, 'elsewhere')), null);
  assert.equal(platformPids(marker).length, 4);
  assert.deepEqual(serviceInstances(marker).map((entry) => entry.instance).sort(), ['collaboration-1', 'identity']);
  const sample = sampleRss(marker, 'now');
  assert.deepEqual(sample.processes.map((entry) => entry.name).sort(), ['AppHost', 'collaboration-1', 'docker-gate', 'identity']);
  assert.ok(sample.processes.every((entry) => entry.rssKiB > 0 && entry.start > 0));
  assert.deepEqual(duplicateInstances(marker), []);

  // kill -9 of a random instance; the "AppHost" starts it again.
  const restarted = new Promise((resolve) => {
    for (const child of children) {
      child.once('exit', (code, signal) => {
        if (signal === 'SIGKILL') resolve(start(child.spawnargs[0], child.spawnargs.slice(1), child === collaboration ? 'collaboration-1' : 'identity'));
      });
    }
  });
  const result = await killService({ marker, rng: new Rng(3) });
  await restarted;
  assert.equal(result.ok, true, result.note);
  assert.match(result.note, /again as pid \d+/);
  assert.ok(result.endedAt > 0);
  assert.ok(['collaboration-1', 'identity'].includes(result.target.name));
});

test('SIGTERM to the platform\'s redis-server, over when it runs again', async () => {
  const binary = join(root, 'redis-server');
  copyFileSync('/bin/sleep', binary); // the kernel names a process after its binary: "redis-server"
  const redis = start(binary, ['120'], null, binary);
  redis.once('exit', () => setTimeout(() => start(binary, ['120'], null, binary), 500));
  await delay(300);
  const result = await restartInfrastructure({ marker, comm: 'redis-server' });
  assert.equal(result.ok, true, result.note);
  assert.equal(result.target.pid, redis.pid);
  assert.ok(result.endedAt - Date.now() < 1000);
  const missing = await restartInfrastructure({ marker, comm: 'beam.smp' });
  assert.equal(missing.ok, false);
  assert.match(missing.note, /no beam\.smp/);
});
