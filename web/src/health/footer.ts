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
  const bad = report.services.filter((s) => s.state !== 'healthy');
  if (report.overall === 'healthy' && bad.length === 0) return 'All services healthy';
  if (bad.length === 0) return report.error ?? `Platform ${LABEL[report.overall].toLowerCase()}`;
  return `${bad.length} of ${report.services.length} service${report.services.length === 1 ? '' : 's'} not healthy`;
}

/** Replaces the footer's contents with one dot per service and a summary. */
export function renderHealth(container: HTMLElement, report: HealthReport): void {
  container.dataset.state = report.overall;
  const dots = report.services.length > 0
    ? report.services.map((s) =>
        h('span', {
          class: `health-item`,
          title: `${s.name}: ${LABEL[s.state]}${s.description ? ` — ${s.description}` : ''}`,
        },
          h('span', {
            class: `health-dot health-${s.state}`,
            'data-testid': 'health-dot',
            'data-service': s.name,
            'data-state': s.state,
          }),
          h('span', { class: 'health-name' }, s.name),
        ),
      )
    : [
        h('span', { class: 'health-item', title: report.error ?? `gateway: ${LABEL[report.overall]}` },
          h('span', {
            class: `health-dot health-${report.overall}`,
            'data-testid': 'health-dot',
            'data-service': 'gateway',
            'data-state': report.overall,
          }),
          h('span', { class: 'health-name' }, 'gateway'),
        ),
      ];
  container.replaceChildren(
    h('span', { class: 'health-summary', 'data-testid': 'health-summary' }, summarize(report)),
    h('span', { class: 'health-dots' }, ...dots),
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
