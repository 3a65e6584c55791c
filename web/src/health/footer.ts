import { h } from '../dom';
import { HealthPoller, type HealthFetch, type HealthReport, type HealthState } from './health';

const LABEL: Record<HealthState, string> = {
  healthy: 'Healthy',
  degraded: 'Degraded',
  unhealthy: 'Unhealthy',
  unknown: 'Unknown',
};

export function summarize(report: HealthReport): string {
  if (report.httpStatus === 0) return 'Gateway unreachable';
  if (report.overall === 'healthy') return 'All services healthy';
  if (report.httpStatus >= 200 && report.httpStatus < 300) return report.error ?? `Platform ${LABEL[report.overall].toLowerCase()}`;
  return 'Some services are down';
}

/** Replaces the footer's contents with one dot for the platform and a summary. */
export function renderHealth(container: HTMLElement, report: HealthReport): void {
  container.dataset.state = report.overall;
  container.replaceChildren(
    h('span', { class: 'health-summary', 'data-testid': 'health-summary' }, summarize(report)),
    h('span', { class: 'health-dots' },
      h('span', { class: 'health-item', title: report.error ?? `WebIde: ${LABEL[report.overall]}` },
        h('span', {
          class: `health-dot health-${report.overall}`,
          'data-testid': 'health-dot',
          'data-state': report.overall,
        }),
        h('span', { class: 'health-name' }, 'WebIde'),
      ),
    ),
  );
}

/** The status footer: polls GET /health every 10 s while mounted. */
export function createStatusFooter(fetchImpl: HealthFetch, intervalMs = 10_000): { el: HTMLElement; dispose(): void } {
  const health = h('div', { class: 'health', 'data-testid': 'health', 'aria-live': 'polite' },
    h('span', { class: 'health-summary' }, 'Checking services…'));
  const el = h('footer', { class: 'status-bar', 'data-testid': 'status-footer' },
    health,
    h('span', { class: 'status-spacer' }),
    h('span', { class: 'status-brand' }, 'WebIde'),
  );
  const poller = new HealthPoller(fetchImpl, (r) => renderHealth(health, r), intervalMs);
  poller.start();
  return { el, dispose: () => poller.stop() };
}
