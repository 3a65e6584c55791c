import type { ApiClient } from './client';
import type { WorkspaceDetail, WorkspaceSummary } from './types';

export class WorkspacesApi {
  constructor(private readonly client: ApiClient) {}

  list(signal?: AbortSignal): Promise<WorkspaceSummary[]> {
    return this.client.json<WorkspaceSummary[]>('/api/workspaces', signal ? { signal } : {});
  }

  get(id: string, signal?: AbortSignal): Promise<WorkspaceDetail> {
    return this.client.json<WorkspaceDetail>(`/api/workspaces/${encodeURIComponent(id)}`, signal ? { signal } : {});
  }

  create(name: string): Promise<WorkspaceSummary> {
    return this.client.json<WorkspaceSummary>('/api/workspaces', { method: 'POST', json: { name } });
  }

  async delete(id: string): Promise<void> {
    await this.client.request(`/api/workspaces/${encodeURIComponent(id)}`, { method: 'DELETE' });
  }
}
