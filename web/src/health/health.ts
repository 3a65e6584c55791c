// Parsing and polling of the gateway's public GET /health answer (docs/api.md §0, "Health"):
//   {status: "Healthy"|"Degraded"|"Unhealthy"}, 200 when healthy, 503 otherwise.
// Which service is down is for operators only (/health/details); the app never sees it.
// Anything else (a non-200, a plain-text body, a network error) maps to a report too.

export type HealthState = 'healthy' | 'degraded' | 'unhealthy' | 'unknown';

export interface HealthReport {
  overall: HealthState;
  /** HTTP status, or 0 when no answer arrived. */
  httpStatus: number;
  /** Set when the gateway could not be reached or answered garbage. */
  error?: string;
}

export function normalizeState(value: unknown): HealthState {
  if (typeof value !== 'string') return 'unknown';
  switch (value.trim().toLowerCase()) {
    case 'healthy':
      return 'healthy';
    case 'degraded':
      return 'degraded';
    case 'unhealthy':
      return 'unhealthy';
    default:
      return 'unknown';
  }
}

/**
 * Builds a report from an HTTP status and the (already JSON-parsed, or raw text) body.
 * A non-2xx status always yields an unhealthy overall state, whatever the body says.
 */
export function parseHealth(httpStatus: number, body: unknown): HealthReport {
  let overall: HealthState = 'unknown';
  if (typeof body === 'string') {
    overall = normalizeState(body);
  } else if (body && typeof body === 'object' && !Array.isArray(body)) {
    overall = normalizeState((body as Record<string, unknown>).status);
  }
  const ok = httpStatus >= 200 && httpStatus < 300;
  if (!ok) overall = 'unhealthy';
  const report: HealthReport = { overall, httpStatus };
  if (!ok) report.error = `Gateway answered HTTP ${httpStatus}`;
  else if (overall === 'unknown') report.error = 'Unrecognised health answer';
  return report;
}

export type HealthFetch = (input: string, init?: RequestInit) => Promise<Response>;

/** GET /health with a timeout; never rejects. */
export async function fetchHealth(
  fetchImpl: HealthFetch,
  url = '/health',
  timeoutMs = 5000,
): Promise<HealthReport> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetchImpl(url, {
      headers: { Accept: 'application/json' },
      cache: 'no-store',
      signal: controller.signal,
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // plain-text health answer ("Healthy") or an error page
    }
    return parseHealth(res.status, body);
  } catch {
    return { overall: 'unhealthy', httpStatus: 0, error: 'Gateway unreachable' };
  } finally {
    clearTimeout(timer);
  }
}

/** Calls fetchHealth now and then every `intervalMs` after each answer, until stopped. */
export class HealthPoller {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;

  constructor(
    private readonly fetchImpl: HealthFetch,
    private readonly onReport: (report: HealthReport) => void,
    private readonly intervalMs = 10_000,
    private readonly url = '/health',
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.tick();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    const report = await fetchHealth(this.fetchImpl, this.url, Math.min(5000, this.intervalMs));
    if (!this.running) return;
    this.onReport(report);
    this.timer = setTimeout(() => void this.tick(), this.intervalMs);
  }
}
