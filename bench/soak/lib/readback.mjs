// After the load: every group's document and every user's saved file read back, through the
// same contract a user has (a fresh collaboration join; REST reads), with their own timeline so
// that these reads are not in the load's figures.
import { setTimeout as delay } from 'node:timers/promises';
import { readDocument } from './editor.mjs';
import { encodePath } from './http.mjs';
import { OK } from './outcomes.mjs';
import { SHARED_DOCUMENT } from './user.mjs';
import { verifyMarkers, verifySavedFile } from './verify.mjs';

// Collaboration writes a document to its file about a second after it changes
// (docs/platform.md "Snapshots and history"); on a platform that just had faults, longer.
const FILE_CATCH_UP_MS = 30000;

async function readFile(http, user, workspaceId, path) {
  const answer = await http.request('verify-read', 'GET', `/api/workspaces/${workspaceId}/files/${encodePath(path)}`, { token: await user.account.token() });
  return answer.cause === OK ? answer.text : null;
}

// Per group: the acknowledged markers of all its users against a fresh join's text, and whether
// the file caught up with that text.
export async function verifyDocuments({ groups, http, url }) {
  // One group at a time: the platform is not loaded any more, and reads are quick.
  const results = [];
  for (const group of groups.filter((candidate) => candidate.workspaceId !== null)) {
    const acknowledged = group.users.flatMap((user) => user.acknowledgedMarkers);
    const owner = group.owner;
    let document = null;
    let problem = null;
    for (let attempt = 0; attempt < 3 && document === null; attempt++) {
      try {
        document = await readDocument({ url, workspaceId: group.workspaceId, path: SHARED_DOCUMENT, accessToken: () => owner.account.token() });
      } catch (error) {
        problem = error.message;
        await delay(2000);
      }
    }
    let file = null;
    if (document !== null) {
      const deadline = Date.now() + FILE_CATCH_UP_MS;
      do {
        file = await readFile(http, owner, group.workspaceId, SHARED_DOCUMENT);
        if (file === document.text) break;
        await delay(1000);
      } while (Date.now() < deadline);
    } else {
      file = await readFile(http, owner, group.workspaceId, SHARED_DOCUMENT);
    }
    const markers = verifyMarkers(acknowledged, document?.text ?? file ?? '');
    const fileMarkers = file === null ? null : verifyMarkers(acknowledged, file);
    results.push({
      workspace: group.name,
      read: document !== null ? 'fresh join' : file !== null ? 'file only' : 'nothing',
      problem: document === null ? problem : null,
      markers,
      fileMatchesDocument: document !== null && file === document.text,
      fileLost: fileMarkers?.lost.length ?? null,
    });
  }
  return results;
}

// Per user: its saved file against its last acknowledged write.
export async function verifySaves({ users, http }) {
  const results = [];
  for (const user of users.filter((candidate) => candidate.group.workspaceId !== null)) {
    const expectation = { path: user.save.path, acknowledged: user.save.acknowledged, uncertain: user.save.uncertain };
    const nothingWritten = expectation.acknowledged === null && expectation.uncertain.length === 0;
    results.push(verifySavedFile(expectation, nothingWritten ? null : await readFile(http, user, user.group.workspaceId, user.save.path)));
  }
  return results;
}
