import { afterEach, describe, expect, it, vi } from 'vitest';
import { HealthPoller, fetchHealth, parseHealth } from '../src/health/health';
import { renderHealth, summarize } from '../src/health/footer';
import { json, scriptedFetch } from './helpers';

describe('parseHealth', () => {
  it('reads the overall status of the public answer', () => {
    expect(parseHealth(200, { status: 'Healthy' })).toEqual({ overall: 'healthy', httpStatus: 200 });
    expect(parseHealth(200, { status: 'Degraded' }).overall).toBe('degraded');
  });

  it('treats any non-2xx answer as unhealthy', () => {
    const r = parseHealth(503, { status: 'Unhealthy' });
    expect(r).toEqual({ overall: 'unhealthy', httpStatus: 503, error: 'Gateway answered HTTP 503' });

    // Even if the body claims otherwise.
    expect(parseHealth(500, { status: 'Healthy' }).overall).toBe('unhealthy');
    expect(parseHealth(502, '<html>Bad Gateway</html>')).toMatchObject({ overall: 'unhealthy' });
  });

  it('accepts plain-text answers and unknown casing', () => {
    expect(parseHealth(200, 'Healthy').overall).toBe('healthy');
    expect(parseHealth(200, { status: 'unhealthy' }).overall).toBe('unhealthy');
    expect(parseHealth(200, { status: 'HEALTHY' }).overall).toBe('healthy');
  });

  it('marks an answer without a known status as unknown', () => {
    expect(parseHealth(200, { status: 'Weird' })).toMatchObject({ overall: 'unknown', error: 'Unrecognised health answer' });
    expect(parseHealth(200, { something: 'else' })).toMatchObject({ overall: 'unknown', error: 'Unrecognised health answer' });
    expect(parseHealth(200, [{ status: 'Healthy' }]).overall).toBe('unknown');
  });
});

describe('fetchHealth', () => {
  it('GETs /health and parses the JSON body', async () => {
    const f = scriptedFetch([() => json(200, { status: 'Healthy' })]);
    const r = await fetchHealth(f.fetch);
    expect(f.calls[0]).toMatchObject({ url: '/health', method: 'GET' });
    expect(r).toEqual({ overall: 'healthy', httpStatus: 200 });
  });

  it('reports a network error as an unreachable, unhealthy gateway instead of throwing', async () => {
    const r = await fetchHealth(() => Promise.reject(new TypeError('Failed to fetch')));
    expect(r).toEqual({ overall: 'unhealthy', httpStatus: 0, error: 'Gateway unreachable' });
    expect(summarize(r)).toBe('Gateway unreachable');
  });

  it('reports a non-JSON 503 as unhealthy', async () => {
    const r = await fetchHealth(async () => new Response('Service Unavailable', { status: 503 }));
    expect(r.overall).toBe('unhealthy');
    expect(r.httpStatus).toBe(503);
  });
});

describe('footer rendering', () => {
  it('shows one dot for the platform with its state', () => {
    const el = document.createElement('div');
    renderHealth(el, parseHealth(503, { status: 'Unhealthy' }));
    const dots = [...el.querySelectorAll<HTMLElement>('[data-testid="health-dot"]')];
    expect(dots.map((d) => d.dataset.state)).toEqual(['unhealthy']);
    expect(dots[0]!.className).toContain('health-unhealthy');
    expect(el.querySelector('[data-testid="health-summary"]')!.textContent).toBe('Some services are down');
    expect(el.dataset.state).toBe('unhealthy');
  });

  it('shows a red dot for an answer it cannot read', () => {
    const el = document.createElement('div');
    renderHealth(el, parseHealth(503, ''));
    const dots = el.querySelectorAll<HTMLElement>('[data-testid="health-dot"]');
    expect(dots).toHaveLength(1);
    expect(dots[0]!.dataset.state).toBe('unhealthy');
    expect(dots[0]!.parentElement!.title).toBe('Gateway answered HTTP 503');
  });

  it('says all is well only when the platform is healthy', () => {
    expect(summarize(parseHealth(200, { status: 'Healthy' }))).toBe('All services healthy');
    expect(summarize(parseHealth(200, { status: 'Degraded' }))).toBe('Platform degraded');
    expect(summarize(parseHealth(200, { status: 'Weird' }))).toBe('Unrecognised health answer');
  });
});

describe('HealthPoller', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('polls immediately, then every interval, and stops when told', async () => {
    vi.useFakeTimers();
    const f = scriptedFetch([], () => json(200, { status: 'Healthy' }));
    const reports: string[] = [];
    const poller = new HealthPoller(f.fetch, (r) => reports.push(r.overall), 10_000);
    poller.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(f.calls).toHaveLength(1);
    expect(reports).toEqual(['healthy']);

    await vi.advanceTimersByTimeAsync(9_999);
    expect(f.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(f.calls).toHaveLength(2);

    poller.stop();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(f.calls).toHaveLength(2);
    expect(reports).toHaveLength(2);
  });
});
