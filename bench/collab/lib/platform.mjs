import { allPids, commandLine, environmentOf, pidListeningOn } from './proc.mjs';

const portOf = (url) => {
  const parsed = new URL(url);
  return Number(parsed.port || (parsed.protocol === 'https:' || parsed.protocol === 'wss:' ? 443 : 80));
};

// Processes whose command line matches `pattern` and that carry the same `./webide up` run
// marker (WEBIDE_RUN_ID, which every process the platform starts inherits).
function sameRun(pattern, marker) {
  if (marker === undefined) return [];
  return allPids().filter((pid) => pattern.test(commandLine(pid)) && environmentOf(pid).WEBIDE_RUN_ID === marker);
}

// What the collaboration service's snapshots load, as its environment names them: filesystem
// (the WriteFiles calls), identity (filesystem's role checks) and RabbitMQ (the FileChanged
// event of each written file, which the collaboration instances consume). The durable ShareDB's
// PostgreSQL is on its path; these are on WebIde's.
function snapshotPath(collaborationPid, notes) {
  if (collaborationPid === undefined) return [];
  const environment = environmentOf(collaborationPid);
  const addresses = [environment.services__filesystem__http__0, environment.services__identity__http__0, environment.ConnectionStrings__rabbitmq];
  const pids = [];
  for (const address of addresses.filter((value) => value !== undefined)) {
    const pid = pidListeningOn(Number(/:(\d+)(\/|$)/.exec(address)?.[1]));
    if (pid === null) notes.push(`nothing listens at ${address}: its CPU is not counted`);
    else pids.push(pid);
  }
  return [...new Set(pids)];
}

const isLocal = (url) => ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(new URL(url).hostname);

// The running platform's processes on the collaboration path, found from the gateway's URL:
// the gateway is whoever listens on its port; the collaboration instances' own URLs are in the
// gateway's environment as the AppHost gives them for service discovery
// (`services__collaboration-1__http__0=http://localhost:PORT`, one per instance), unless
// `directUrls` are given; each instance is whoever listens there (the orchestrator's proxy, dcp,
// if the endpoints are proxied — then that is on the path instead); Redis is at the gateway's
// `ConnectionStrings__redis`. Returns what it found and notes on what it did not.
export function discoverPlatform(gatewayUrl, directUrls = null) {
  const notes = [];
  const found = { gateway: null, collaboration: [], redis: null, redisProxy: null, directUrls: directUrls ?? [], notes };
  if (!isLocal(gatewayUrl)) {
    notes.push(`${gatewayUrl} is not on this machine: no processes, CPU or affinity for the platform`);
    return found;
  }
  const gatewayPid = pidListeningOn(portOf(gatewayUrl));
  if (gatewayPid === null) {
    notes.push(`nothing listens on ${gatewayUrl}'s port (or /proc is not readable): no gateway process`);
    return found;
  }
  found.gateway = { pid: gatewayPid, command: commandLine(gatewayPid) };
  const environment = environmentOf(gatewayPid);
  if (directUrls === null) {
    found.directUrls = Object.keys(environment)
      .filter((name) => /^services__collaboration[-_\w]*__http__0$/.test(name))
      .sort()
      .map((name) => environment[name]);
    if (found.directUrls.length === 0) notes.push('no services__collaboration-*__http__0 in the gateway\'s environment: pass --direct-url');
  }
  for (const url of found.directUrls) {
    const pid = isLocal(url) ? pidListeningOn(portOf(url)) : null;
    const command = pid === null ? '' : commandLine(pid);
    found.collaboration.push({ url, pid, command, proxied: /\bdcp\b|dcpctrl/.test(command) });
    if (pid === null) notes.push(`nothing found listening at ${url}`);
    else if (/\bdcp\b|dcpctrl/.test(command)) notes.push(`${url} is the orchestrator's proxy (dcp), not the instance itself: it is on the "direct" path`);
  }
  const redisAddress = environment.ConnectionStrings__redis;
  const redisPort = redisAddress === undefined ? null : Number(/:(\d+)/.exec(redisAddress.split(',')[0])?.[1]);
  if (redisPort) {
    const pid = pidListeningOn(redisPort);
    const command = pid === null ? '' : commandLine(pid);
    if (pid !== null && /redis-server/.test(command)) {
      found.redis = { pid, port: redisPort, command };
    } else if (pid !== null) {
      // The orchestrator's proxy in front of Redis: it is on the path too, and Redis is the
      // redis-server started for the same `./webide up` (the run marker in its environment).
      found.redisProxy = { pid, port: redisPort, command };
      notes.push(`Redis is reached through ${command.split(' ')[0]} (pid ${pid}), the orchestrator's proxy: counted on the path as "dcp"`);
      const marker = environment.WEBIDE_RUN_ID;
      const same = sameRun(/(^|\/)redis-server(\s|$)/, marker);
      if (same.length === 1) found.redis = { pid: same[0], port: null, command: commandLine(same[0]) };
    }
  }
  // The collaboration processes themselves: the listeners, unless those are the orchestrator's
  // proxy, in which case the WebIde.Collaboration processes of the same `./webide up`.
  found.collaborationPids = [...new Set(found.collaboration.filter((instance) => instance.pid !== null && !instance.proxied).map((instance) => instance.pid))];
  if (found.collaboration.some((instance) => instance.proxied)) {
    found.collaborationPids = [...new Set([...found.collaborationPids, ...sameRun(/WebIde\.Collaboration/, environment.WEBIDE_RUN_ID)])];
  }
  if (found.redis === null) notes.push('the platform\'s Redis was not found (ConnectionStrings__redis in the gateway\'s environment): its CPU is not counted');
  found.snapshotPids = snapshotPath(found.collaborationPids[0], notes);
  return found;
}
