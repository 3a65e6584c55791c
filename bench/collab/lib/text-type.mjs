import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

// ot-text, the plain-text OT type of ShareDB's own examples, registered by the ShareDB servers
// and clients of the benchmark. ShareDB's presence needs a type's transformPresence, which
// ot-text does not have; it has transformSelection (a cursor, or [anchor, head], moved by an
// operation), which is what a text editor's presence is. So the type gets transformPresence =
// transformSelection, the same on both sides (no presence, null, stays null).
export const textType = require('ot-text').type;
textType.transformPresence ??= (presence, op, isOwnOp) => (presence === null || presence === undefined ? presence : textType.transformSelection(presence, op, isOwnOp));
