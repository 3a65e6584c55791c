// Shapes of the public API (docs/api.md). JSON is camelCase.

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

/** A language the platform runs and checks (docs/api.md §5, `GET /api/languages`). */
export interface Language {
  name: string;
  displayName: string;
  version: string;
  /** With the dot: ".py". */
  extensions: string[];
  /** The editor's (Monaco's) language id. */
  editorLanguage: string;
  compiled: boolean;
  languageServer: boolean;
}
