// The editing core's side of the language client: it decides which files are for a language server
// (their language has one, GET /api/languages) and loads the client (./lsp, a chunk of its own) the
// first time such a file opens. Files that open while it loads are handed over once it is there.
// Only types come from ./lsp here, so nothing of it is in the editing core's chunk.
import type { LanguageDocument, LanguageServices, LanguageServicesOptions } from './lsp';

export type LoadLanguageClient = () => Promise<{ createLanguageServices(options: LanguageServicesOptions): LanguageServices }>;

export interface LanguageServicesLoaderOptions {
  /** import('./lsp'); tests pass their own. */
  load: LoadLanguageClient;
  /** The platform's language of `path` when it has a language server, else undefined. */
  serverLanguage(path: string): string | undefined;
  /** Asked once, when the client is there. */
  options(): LanguageServicesOptions;
}

export class LanguageServicesLoader {
  private services: LanguageServices | null = null;
  private loading = false;
  private disposed = false;
  /** Opened before the client was there. */
  private readonly waiting = new Map<string, LanguageDocument>();

  constructor(private readonly options: LanguageServicesLoaderOptions) {}

  /** A model for `path` exists: a document for its language's server, if it has one. */
  open(path: string, model: LanguageDocument['model']): void {
    const language = this.options.serverLanguage(path);
    if (language === undefined || this.disposed) return;
    const document = { path, language, model };
    if (this.services) {
      this.services.open(document);
      return;
    }
    this.waiting.set(path, document);
    this.loadClient();
  }

  close(path: string): void {
    this.waiting.delete(path);
    this.services?.close(path);
  }

  serves(path: string): boolean {
    return this.services?.serves(path) ?? false;
  }

  get loaded(): boolean {
    return this.services !== null;
  }

  dispose(): void {
    this.disposed = true;
    this.waiting.clear();
    this.services?.dispose();
    this.services = null;
  }

  private loadClient(): void {
    if (this.loading) return;
    this.loading = true;
    this.options.load().then((module) => {
      this.loading = false;
      if (this.disposed) return;
      this.services = module.createLanguageServices(this.options.options());
      const waiting = [...this.waiting.values()];
      this.waiting.clear();
      for (const document of waiting) this.services.open(document);
    }, (error: unknown) => {
      // A chunk that cannot be fetched (a new deployment replaced it): the editor works without;
      // the next file of such a language tries again.
      this.loading = false;
      console.warn('the language client could not be loaded:', error);
    });
  }
}
