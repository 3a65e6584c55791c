// Shapes of the public API (docs/api.md). JSON is camelCase.

export interface User {
  id: string;
  username: string;
  displayName: string;
}

/**
 * What login and refresh answer. The web app keeps its refresh token in an HttpOnly cookie
 * (docs/api.md §1), so its answers carry none; scripts get it in the body.
 */
export interface TokenPair {
  accessToken: string;
  refreshToken?: string;
  tokenType: 'Bearer' | string;
  /** Seconds until the access token expires. */
  expiresIn: number;
}

/** `POST /api/auth/ticket` (docs/api.md §7): opens one WebSocket, once, within `expiresIn` seconds. */
export interface SocketTicket {
  ticket: string;
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
