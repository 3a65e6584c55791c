import { afterEach, describe, expect, it, vi } from 'vitest';
import { HealthPoller, fetchHealth, parseHealth } from '../src/health/health';
import { renderHealth, summarize } from '../src/health/footer';
import { json, scriptedFetch } from './helpers';

describe('parseHealth', () => {
  it('reads the overall status and one entry per service, sorted by name', () => {
    const r = parseHealth(200, {
      status: 'Degraded',
      totalDuration: '00:00:00.01',
      entries: {
        identity: { status: 'Healthy', duration: '00:00:00.002' },
        execution: { status: 'Degraded', description: 'sandbox pool low' },
        collab: { status: 'Healthy', description: '' },
      },
    });
    expect(r.overall).toBe('degraded');
    expect(r.httpStatus).toBe(200);
    expect(r.error).toBeUndefined();
    expect(r.services).toEqual([
      { name: 'collab', state: 'healthy' },
      { name: 'execution', state: 'degraded', description: 'sandbox pool low' },
      { name: 'identity', state: 'healthy' },
    ]);
  });

  it('treats any non-2xx answer as unhealthy but keeps the entries it carries', () => {
    const r = parseHealth(503, { status: 'Unhealthy', entries: { files: { status: 'Unhealthy', description: 'db down' } } });
    expect(r.overall).toBe('unhealthy');
    expect(r.services).toEqual([{ name: 'files', state: 'unhealthy', description: 'db down' }]);
    expect(r.error).toBe('Gateway answered HTTP 503');

    // Even if the body claims otherwise.
    expect(parseHealth(500, { status: 'Healthy' }).overall).toBe('unhealthy');
    expect(parseHealth(502, '<html>Bad Gateway</html>')).toMatchObject({ overall: 'unhealthy', services: [] });
  });

  it('accepts plain-text answers and unknown casing', () => {
    expect(parseHealth(200, 'Healthy').overall).toBe('healthy');
    expect(parseHealth(200, { status: 'unhealthy', entries: {} }).overall).toBe('unhealthy');
    expect(parseHealth(200, { status: 'HEALTHY' }).overall).toBe('healthy');
  });

  it('marks unknown states and derives the overall state from entries when it is missing', () => {
    const r = parseHealth(200, { entries: { a: { status: 'Healthy' }, b: { status: 'Weird' }, c: { status: 'Unhealthy' } } });
    expect(r.services.map((s) => s.state)).toEqual(['healthy', 'unknown', 'unhealthy']);
    expect(r.overall).toBe('unhealthy');
    expect(parseHealth(200, { something: 'else' })).toMatchObject({ overall: 'unknown', error: 'Unrecognised health answer' });
  });

  it('accepts entries given as an array of {name, status}', () => {
    const r = parseHealth(200, { status: 'Healthy', entries: [{ name: 'gateway', status: 'Healthy' }, { status: 'Healthy' }] });
    expect(r.services).toEqual([{ name: 'gateway', state: 'healthy' }]);
  });
});

describe('fetchHealth', () => {
  it('GETs /health and parses the JSON body', async () => {
    const f = scriptedFetch([() => json(200, { status: 'Healthy', entries: { identity: { status: 'Healthy' } } })]);
    const r = await fetchHealth(f.fetch);
    expect(f.calls[0]).toMatchObject({ url: '/health', method: 'GET' });
    expect(r).toEqual({ overall: 'healthy', services: [{ name: 'identity', state: 'healthy' }], httpStatus: 200 });
  });

  it('reports a network error as an unreachable, unhealthy gateway instead of throwing', async () => {
    const r = await fetchHealth(() => Promise.reject(new TypeError('Failed to fetch')));
    expect(r).toEqual({ overall: 'unhealthy', services: [], httpStatus: 0, error: 'Gateway unreachable' });
    expect(summarize(r)).toBe('Gateway unreachable');
  });

  it('reports a non-JSON 503 as unhealthy', async () => {
    const r = await fetchHealth(async () => new Response('Service Unavailable', { status: 503 }));
    expect(r.overall).toBe('unhealthy');
    expect(r.httpStatus).toBe(503);
  });
});

describe('footer rendering', () => {
  it('shows one dot per service with its state', () => {
    const el = document.createElement('div');
    renderHealth(el, parseHealth(200, {
      status: 'Unhealthy',
      entries: { identity: { status: 'Healthy' }, execution: { status: 'Unhealthy', description: 'no sandbox' } },
    }));
    const dots = [...el.querySelectorAll<HTMLElement>('[data-testid="health-dot"]')];
    expect(dots.map((d) => [d.dataset.service, d.dataset.state])).toEqual([
      ['execution', 'unhealthy'],
      ['identity', 'healthy'],
    ]);
    expect(dots[0]!.className).toContain('health-unhealthy');
    expect(dots[0]!.parentElement!.title).toBe('execution: Unhealthy — no sandbox');
    expect(el.querySelector('[data-testid="health-summary"]')!.textContent).toBe('1 of 2 services not healthy');
    expect(el.dataset.state).toBe('unhealthy');
  });

  it('shows a single red gateway dot when the answer carries no entries', () => {
    const el = document.createElement('div');
    renderHealth(el, parseHealth(503, ''));
    const dots = el.querySelectorAll<HTMLElement>('[data-testid="health-dot"]');
    expect(dots).toHaveLength(1);
    expect(dots[0]!.dataset.service).toBe('gateway');
    expect(dots[0]!.dataset.state).toBe('unhealthy');
  });

  it('says all is well only when every service is healthy', () => {
    expect(summarize(parseHealth(200, { status: 'Healthy', entries: { a: { status: 'Healthy' } } }))).toBe('All services healthy');
    expect(summarize(parseHealth(200, { status: 'Healthy', entries: { a: { status: 'Degraded' } } }))).toBe('1 of 1 service not healthy');
  });
});

describe('HealthPoller', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('polls immediately, then every interval, and stops when told', async () => {
    vi.useFakeTimers();
    const f = scriptedFetch([], () => json(200, { status: 'Healthy', entries: {} }));
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
