// Which of the platform's languages (GET /api/languages, docs/api.md §5) a file is in, by its
// extension. The IDE keeps no list of its own: what the server lists is what gets a language's
// editor colours and its checks.
import type { Language } from '../api';
import { extensionOf } from './tree/paths';

export class LanguageCatalog {
  private readonly byExtension = new Map<string, Language>();

  constructor(languages: readonly Language[]) {
    for (const language of languages) {
      for (const extension of language.extensions) {
        const key = extension.replace(/^\./, '').toLowerCase();
        if (key && !this.byExtension.has(key)) this.byExtension.set(key, language);
      }
    }
  }

  /** The language of `path`, if the platform has one for its extension. */
  languageOf(path: string): Language | undefined {
    const extension = extensionOf(path);
    return extension ? this.byExtension.get(extension) : undefined;
  }

  /** Every language of the platform has a checker (the execution service's catalog holds to it). */
  isCheckable(path: string): boolean {
    return this.languageOf(path) !== undefined;
  }

  /**
   * The platform's language of `path` when a language server serves it (docs/api.md §6, the
   * `{language}` of /ws/lsp), else undefined.
   */
  serverLanguage(path: string): string | undefined {
    const language = this.languageOf(path);
    return language?.languageServer === true ? language.name : undefined;
  }

  /** The editor's language id for `path`; undefined when the platform has none for it. */
  editorLanguage(path: string): string | undefined {
    return this.languageOf(path)?.editorLanguage;
  }
}
