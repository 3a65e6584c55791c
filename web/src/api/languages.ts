// The languages the platform runs (docs/api.md §5): the one definition of each, kept by the server.
// Asked once per page load; the answer (or the failure) is shared by every screen that asks.
import type { ApiClient } from './client';
import type { Language } from './types';

export class LanguagesApi {
  private listing: Promise<readonly Language[]> | null = null;

  constructor(private readonly client: ApiClient) {}

  /**
   * `GET /api/languages`. Never rejects: without the list the IDE still edits (as plain text)
   * and runs files, so a failure is logged and answered with no languages, and the next call
   * asks again.
   */
  list(): Promise<readonly Language[]> {
    this.listing ??= this.client.json<unknown>('/api/languages', { auth: false }).then(
      (body) => (Array.isArray(body) ? body.filter(isLanguage) : []),
      (err: unknown) => {
        console.warn('the list of languages could not be loaded:', err);
        this.listing = null;
        return [];
      },
    );
    return this.listing;
  }
}

function isLanguage(value: unknown): value is Language {
  const candidate = value as Partial<Language> | null;
  return typeof candidate?.name === 'string'
    && typeof candidate.editorLanguage === 'string'
    && Array.isArray(candidate.extensions)
    && candidate.extensions.every((e) => typeof e === 'string');
}
