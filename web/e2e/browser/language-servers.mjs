// What the language-server scenarios share (docs/api.md §6): the platform must serve the language,
// a file is opened and waited on until its server has it, and Monaco's drawn text, suggest widget,
// hover and markers are read from the page. Needs the real editing core's window.webide hooks
// (getText, getMarkers, hasLanguageServer, getCursor).
import { waitFor } from './harness.mjs';

/** The first screen of a server's answers may wait for its container to start and read the project. */
export const SERVER_START_MS = 90000;

/** Fails at once, saying why, when GET /api/languages gives `language` no language server. */
export async function requireLanguageServer(t, language) {
  const languages = await t.api.call('GET', '/api/languages');
  const found = Array.isArray(languages) ? languages.find((l) => l.name === language) : undefined;
  if (found?.languageServer !== true) {
    throw new Error(`the platform serves no ${language} language server (GET /api/languages: languageServer ${found?.languageServer}); this scenario needs /ws/lsp (docs/api.md §6)`);
  }
}

/** Opens `path` from the tree and waits for its text in the editor, then for its language server to have it. */
export async function openServedFile(page, path, text) {
  await page.locator(`[data-testid="file-tree-item"][data-path="${path}"]`).click();
  await page.locator(`[data-testid="tab"][data-path="${path}"][aria-selected="true"]`).waitFor({ timeout: 10000 });
  await waitFor(() => page.evaluate(([p, x]) => window.webide?.getText?.(p) === x, [path, text]), { timeoutMs: 30000, what: `${path} in the editor` });
  if (!(await page.evaluate(() => typeof window.webide?.hasLanguageServer === 'function'))) {
    throw new Error('window.webide.hasLanguageServer is missing: this needs the real editing core');
  }
  const started = Date.now();
  await waitFor(() => page.evaluate((p) => window.webide.hasLanguageServer(p), path), { timeoutMs: SERVER_START_MS, what: `the language server to have ${path}` });
  return Date.now() - started;
}

/**
 * The screen position of the middle of the first `token` on the editor line that reads `line`
 * (Monaco draws a line as spans of tokens; the token's characters are found in its text nodes).
 */
export async function tokenCenter(page, line, token) {
  const point = await page.evaluate(([wanted, word]) => {
    for (const row of document.querySelectorAll('[data-testid="editor"] .view-line')) {
      const text = (row.textContent ?? '').replace(/\u00a0/g, ' ');
      if (text.trimEnd() !== wanted) continue;
      const at = text.indexOf(word);
      if (at < 0) return null;
      const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
      const range = document.createRange();
      let offset = 0;
      let started = false;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const length = node.textContent.length;
        if (!started && at < offset + length) {
          range.setStart(node, at - offset);
          started = true;
        }
        if (started && at + word.length <= offset + length) {
          range.setEnd(node, at + word.length - offset);
          const box = range.getBoundingClientRect();
          return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
        }
        offset += length;
      }
    }
    return null;
  }, [line, token]);
  if (!point) throw new Error(`"${token}" on the line "${line}" is not on screen`);
  return point;
}

/** The labels of the suggest widget's rows while it shows, else null; `focused` is the one Tab takes. */
export async function suggestions(page) {
  return page.evaluate(() => {
    const widget = document.querySelector('.monaco-editor .suggest-widget.visible');
    if (!widget) return null;
    const rows = [...widget.querySelectorAll('.monaco-list-row')];
    const label = (row) => row.querySelector('.label-name')?.textContent?.trim() ?? '';
    return { labels: rows.map(label), focused: label(rows.find((row) => row.classList.contains('focused')) ?? document.createElement('i')) };
  });
}

/** The text of the editor's hover while it shows, else null. */
export async function hoverText(page) {
  return page.evaluate(() => {
    const hover = [...document.querySelectorAll('.monaco-editor .monaco-hover')].find((h) => !h.classList.contains('hidden') && h.textContent.trim());
    return hover ? hover.textContent : null;
  });
}
