// Shapes of the public contract (shared/spec/API.md). JSON is camelCase.

export interface User {
  id: string;
  username: string;
  displayName: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer' | string;
  /** Seconds until the access token expires. */
  expiresIn: number;
}

export type Role = 'owner' | 'editor' | 'viewer';

export interface WorkspaceSummary {
  id: string;
  name: string;
  role: Role;
}

export interface WorkspaceMember {
  userId: string;
  username: string;
  role: Role;
}

export interface WorkspaceDetail extends WorkspaceSummary {
  members: WorkspaceMember[];
}
