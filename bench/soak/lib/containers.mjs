// The installation's sandbox containers, from the Docker engine (docs/platform.md "Sandbox
// containers": every one carries webide.managed=true and webide.installation=<data folder>).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

// [{id, state, status, labels}] of every container (running or not) of `installation`.
export async function installationContainers(installation) {
  const { stdout } = await run('docker', ['ps', '-a', '--no-trunc', '--filter', 'label=webide.managed=true', '--filter', `label=webide.installation=${installation}`, '--format', '{{json .}}'], { timeout: 30000 });
  return stdout
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line))
    .map((entry) => ({
      id: String(entry.ID).slice(0, 12),
      state: String(entry.State ?? (/^Up/.test(entry.Status) ? 'running' : 'exited')).toLowerCase(),
      status: entry.Status,
      labels: Object.fromEntries(String(entry.Labels ?? '').split(',').filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)])),
    }));
}

// Whether the engine answers (`docker info`), within `timeoutMs`.
export async function engineAnswers(timeoutMs = 10000) {
  try {
    await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: timeoutMs });
    return true;
  } catch {
    return false;
  }
}
