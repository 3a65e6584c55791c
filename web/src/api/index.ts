export { ApiClient, type ApiClientOptions, type FetchLike, type RequestOptions } from './client';
export { ApiError, errorMessage, toApiError } from './errors';
export { TokenStore, TOKEN_STORAGE_KEY, type StoredTokens, type KeyValueStorage } from './tokens';
export { AuthApi } from './auth';
export { WorkspacesApi } from './workspaces';
export { LanguagesApi } from './languages';
// Named exports only (not part of createApi) so bundles that never use them drop them.
export {
  FilesApi,
  FileConflictError,
  encodePath,
  parseVersionTag,
  type EntryType,
  type FileContent,
  type MoveResult,
  type TreeEntry,
  type WriteOptions,
  type WrittenFile,
} from './files';
export { SseParser, type SseMessage } from './sse';
export {
  watchFileEvents,
  type FileChangeEvent,
  type FileChangeType,
  type FileEventsHandlers,
  type FileEventsOptions,
  type FileEventsWatch,
} from './file-events';
export type * from './types';

import { ApiClient } from './client';
import { AuthApi } from './auth';
import { WorkspacesApi } from './workspaces';
import { LanguagesApi } from './languages';

/** Everything the screens need to talk to the server. */
export interface Api {
  client: ApiClient;
  auth: AuthApi;
  workspaces: WorkspacesApi;
  /** The languages the platform runs, asked once per page load. */
  languages: LanguagesApi;
}

export function createApi(client: ApiClient): Api {
  return { client, auth: new AuthApi(client), workspaces: new WorkspacesApi(client), languages: new LanguagesApi(client) };
}
