// flushToFiles: runs and checks read files, which the collaboration service writes a moment
// after it acknowledges an edit (its snapshots are up to ~1–2 s behind). So: wait until no
// document has an edit outstanding or buffered, then poll each file until it holds the text
// the editor had then (or has now, if others edited meanwhile).
export interface FlushableDocument {
  path: string;
  /** Live and nothing of this client's waits for the server. */
  settled(): boolean;
  text(): string;
  /** Closed meanwhile: nothing to wait for. */
  gone(): boolean;
}

export interface FlushOptions {
  documents: () => FlushableDocument[];
  readFile: (path: string, signal: AbortSignal) => Promise<string>;
  timeoutMs: number;
  /** Why waiting is pointless (the connection stopped), or null. */
  stopped?: () => string | null;
  pollMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function flushToFiles(options: FlushOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const poll = options.pollMs ?? 150;
  const fail = (what: string): never => {
    throw new Error(`Edits were not saved within ${options.timeoutMs} ms (${what})`);
  };
  for (;;) {
    const why = options.stopped?.();
    if (why) fail(why);
    const waiting = options.documents().filter((d) => !d.gone() && !d.settled());
    if (waiting.length === 0) break;
    if (Date.now() > deadline) fail(`not acknowledged: ${waiting.map((d) => d.path).join(', ')}`);
    await sleep(Math.min(50, poll));
  }
  const targets = options.documents().filter((d) => !d.gone()).map((d) => ({ doc: d, text: d.text() }));
  const controller = new AbortController();
  try {
    await Promise.all(targets.map(async ({ doc, text }) => {
      for (;;) {
        let file: string | null = null;
        try {
          file = await options.readFile(doc.path, controller.signal);
        } catch {
          // A file being written or a network hiccup: try again until the deadline.
        }
        if (doc.gone() || file === text || (file === doc.text() && doc.settled())) return;
        if (Date.now() > deadline) fail(`${doc.path} on the server differs from the editor`);
        await sleep(poll);
      }
    }));
  } finally {
    controller.abort();
  }
}
