import type { ApiClient } from './client';
import type { Role, WorkspaceDetail, WorkspaceSummary } from './types';

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

  /** Adds `username` with `role`, or changes their role (owner only). */
  async setMember(id: string, username: string, role: Role): Promise<void> {
    await this.client.request(`/api/workspaces/${encodeURIComponent(id)}/members/${encodeURIComponent(username)}`, {
      method: 'PUT',
      json: { role },
    });
  }

  /** Removes `username` (owner only; the last owner cannot be removed: 409). */
  async removeMember(id: string, username: string): Promise<void> {
    await this.client.request(`/api/workspaces/${encodeURIComponent(id)}/members/${encodeURIComponent(username)}`, {
      method: 'DELETE',
    });
  }
}
