// The connection indicator: `data-state` is what tests read (online/offline); the text says a
// little more (reconnecting, or why the editor stopped).
import type { LinkState } from '../shared-text/documents';

export function renderConnectionStatus(host: HTMLElement, state: LinkState, why: string): void {
  const online = state === 'online';
  host.dataset.state = online ? 'online' : 'offline';
  host.textContent = online ? 'online' : state === 'connecting' ? 'connecting…' : state === 'stopped' ? 'offline' : 'offline — reconnecting…';
  host.title = state === 'stopped' ? why : online ? 'Connected: edits are shared live' : 'Edits are kept and sent when the connection is back';
}
