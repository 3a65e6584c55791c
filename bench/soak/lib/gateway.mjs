import { setTimeout as delay } from 'node:timers/promises';

// The gateway must answer /health with 200 before the soak starts. A gateway that answers
// something else, or slowly (a platform still starting), gets a minute; one that cannot be
// connected to at all (a wrong --url, no platform running) fails after three tries, a few
// seconds.
export async function checkGateway(url, { patienceMs = 60000, connectTries = 3 } = {}) {
  const deadline = Date.now() + patienceMs;
  let last = 'no answer';
  let refused = 0;
  for (;;) {
    try {
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(5000) });
      await response.arrayBuffer();
      if (response.ok) return;
      last = `answered ${response.status}`;
    } catch (error) {
      if (error.name === 'TimeoutError') {
        last = 'no answer within 5 s';
      } else {
        last = `cannot connect (${error.cause?.code ?? error.cause?.message ?? error.message})`;
        if (++refused >= connectTries) break;
      }
    }
    if (Date.now() > deadline) break;
    await delay(1000);
  }
  throw new Error(`${url}/health: ${last}. Is \`./webide up\` running, and is --url its gateway?`);
}
