// Monaco's language providers over one language server: completion (and its resolve), hover,
// signature help and definition, each registered only when the server offers it, with the trigger
// characters it names. Registered for the editor's models of the server's documents only; a request
// the server cannot answer now (reconnecting) shows nothing rather than an error.
import type { IDisposable, IRange, Uri, editor, languages } from 'monaco-editor/editor/editor.api';
import type { Monaco } from '../monaco';
import type { LanguageServerConnection } from './connection';
import {
  applyResolved,
  toCompletionList,
  toHover,
  toLocations,
  toLspPosition,
  toSignatureHelp,
  type DefaultRanges,
} from './conversions';
import { RequestDropped } from './json-rpc';
import type { CompletionItem, CompletionList, Hover, Location, LocationLink, ServerCapabilities, SignatureHelp } from './protocol';

/** What the providers need of Monaco's API: registration, and the enums of the conversions. */
export type ProviderMonaco = {
  languages: Pick<Monaco['languages'],
    'registerCompletionItemProvider' | 'registerHoverProvider' | 'registerSignatureHelpProvider' | 'registerDefinitionProvider'
    | 'CompletionItemKind' | 'CompletionItemInsertTextRule' | 'CompletionItemTag' | 'CompletionTriggerKind'>;
  MarkerSeverity: Monaco['MarkerSeverity'];
  MarkerTag: Monaco['MarkerTag'];
};

export interface ProviderHost {
  monaco: ProviderMonaco;
  connection: LanguageServerConnection;
  /** The server's URI of `model` when it is one of this server's documents, else null. */
  documentUri(model: editor.ITextModel): string | null;
  /** The editor's model URI of a workspace path (definition targets). */
  modelUri(path: string): Uri;
  /** A trigger character asked for completions (the Enter rule's cue). */
  onTriggerCharacter(): void;
}

/** The editor's model URIs: the providers answer for nothing else (hover widgets' code blocks, say). */
const SCHEME = 'webide';

/** Monaco's default replace/insert ranges: the word around the position. */
function defaultRanges(model: editor.ITextModel, position: { lineNumber: number; column: number }): DefaultRanges {
  const word = model.getWordAtPosition(position);
  const line = position.lineNumber;
  const replace: IRange = word
    ? { startLineNumber: line, startColumn: word.startColumn, endLineNumber: line, endColumn: word.endColumn }
    : { startLineNumber: line, startColumn: position.column, endLineNumber: line, endColumn: position.column };
  return { replace, insert: { ...replace, endColumn: position.column } };
}

/** A failed or dropped request shows nothing: the person keeps typing. */
async function ask<T>(request: () => Promise<T | null>): Promise<T | null> {
  try {
    return await request();
  } catch (error) {
    if (!(error instanceof RequestDropped)) console.debug('lsp:', error instanceof Error ? error.message : error);
    return null;
  }
}

export function registerProviders(host: ProviderHost, editorLanguages: readonly string[], capabilities: ServerCapabilities): IDisposable {
  const { monaco, connection } = host;
  const selector = editorLanguages.map((language) => ({ language, scheme: SCHEME }));
  const registrations: IDisposable[] = [];

  const completion = capabilities.completionProvider;
  if (completion) {
    // The server's items behind the ones shown, for completionItem/resolve (the relay finds its own by their `data`).
    const originals = new WeakMap<languages.CompletionItem, CompletionItem>();
    const triggerKinds = monaco.languages.CompletionTriggerKind;
    registrations.push(monaco.languages.registerCompletionItemProvider(selector, {
      triggerCharacters: completion.triggerCharacters ?? [],
      async provideCompletionItems(model, position, context, token) {
        const uri = host.documentUri(model);
        if (!uri) return undefined;
        if (context.triggerKind === triggerKinds.TriggerCharacter) host.onTriggerCharacter();
        const result = await ask(() => connection.request<CompletionItem[] | CompletionList>('textDocument/completion', {
          textDocument: { uri },
          position: toLspPosition(position),
          // Monaco counts its trigger kinds from 0, LSP from 1, in the same order.
          context: { triggerKind: context.triggerKind + 1, ...(context.triggerCharacter ? { triggerCharacter: context.triggerCharacter } : {}) },
        }, token));
        const { items, incomplete } = toCompletionList(result, defaultRanges(model, position), monaco);
        for (const item of items) originals.set(item.monaco, item.lsp);
        return { suggestions: items.map((item) => item.monaco), incomplete };
      },
      ...(completion.resolveProvider ? {
        async resolveCompletionItem(item: languages.CompletionItem, token: Parameters<NonNullable<languages.CompletionItemProvider['resolveCompletionItem']>>[1]) {
          const original = originals.get(item);
          if (!original) return item;
          const resolved = await ask(() => connection.request<CompletionItem>('completionItem/resolve', original, token));
          if (resolved) applyResolved(item, resolved);
          return item;
        },
      } : {}),
    }));
  }

  if (capabilities.hoverProvider) {
    registrations.push(monaco.languages.registerHoverProvider(selector, {
      async provideHover(model, position, token) {
        const uri = host.documentUri(model);
        if (!uri) return undefined;
        const result = await ask(() => connection.request<Hover>('textDocument/hover', { textDocument: { uri }, position: toLspPosition(position) }, token));
        return toHover(result) ?? undefined;
      },
    }));
  }

  const signatureHelp = capabilities.signatureHelpProvider;
  if (signatureHelp) {
    registrations.push(monaco.languages.registerSignatureHelpProvider(selector, {
      signatureHelpTriggerCharacters: signatureHelp.triggerCharacters ?? [],
      signatureHelpRetriggerCharacters: signatureHelp.retriggerCharacters ?? [],
      async provideSignatureHelp(model, position, token, context) {
        const uri = host.documentUri(model);
        if (!uri) return undefined;
        const result = await ask(() => connection.request<SignatureHelp>('textDocument/signatureHelp', {
          textDocument: { uri },
          position: toLspPosition(position),
          // The same numbers on both sides (Invoked 1, TriggerCharacter 2, ContentChange 3).
          context: {
            triggerKind: context.triggerKind,
            isRetrigger: context.isRetrigger,
            ...(context.triggerCharacter ? { triggerCharacter: context.triggerCharacter } : {}),
          },
        }, token));
        const value = toSignatureHelp(result);
        return value ? { value, dispose() {} } : undefined;
      },
    }));
  }

  if (capabilities.definitionProvider) {
    registrations.push(monaco.languages.registerDefinitionProvider(selector, {
      async provideDefinition(model, position, token) {
        const uri = host.documentUri(model);
        if (!uri) return undefined;
        const result = await ask(() => connection.request<Location | Location[] | LocationLink[]>('textDocument/definition', {
          textDocument: { uri },
          position: toLspPosition(position),
        }, token));
        return toLocations(result, host.modelUri);
      },
    }));
  }

  return { dispose: () => registrations.forEach((r) => r.dispose()) };
}
