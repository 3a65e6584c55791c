// The frames of the collaborative-editing socket (docs/api.md §4, docs/platform.md "Collaborative
// editing"). Positions count UTF-16 code units; `op` is ot.js's JSON form of an operation.
import type { OpComponent } from 'ot/lib/text-operation';

export interface SelectionRange {
  anchor: number;
  head: number;
}

export interface Peer {
  clientId: string;
  userId: string;
  username: string;
  color: string;
  selections: SelectionRange[];
}

export interface LoggedOp {
  revision: number;
  op: OpComponent[];
  clientId: string;
  id: string;
}

export type ClientFrame =
  | { type: 'join'; path: string; revision?: number }
  | { type: 'op'; path: string; revision: number; id: string; op: OpComponent[] }
  | { type: 'selection'; path: string; selections: SelectionRange[] }
  | { type: 'leave'; path: string };

export interface JoinedFrame {
  type: 'joined';
  path: string;
  revision: number;
  readOnly: boolean;
  clientId: string;
  peers: Peer[];
  /** A fresh join. */
  content?: string;
  /** A resume: everything after the revision asked for. */
  ops?: LoggedOp[];
}

export type ErrorCode = 'forbidden' | 'invalid_op' | 'unknown_revision' | 'too_large' | 'rate_limited' | 'not_found';

export type ServerFrame =
  | JoinedFrame
  | ({ type: 'op'; path: string } & LoggedOp)
  | { type: 'ack'; path: string; revision: number; id: string }
  | { type: 'selection'; path: string; clientId: string; username: string; selections: SelectionRange[] }
  | { type: 'peer-joined'; path: string; peer: Peer }
  | { type: 'peer-left'; path: string; clientId: string }
  | { type: 'closed'; path: string; reason: string; to?: string }
  // Errors carry no path: an op's error carries its id, a join's is the answer to the join in flight.
  | { type: 'error'; code: ErrorCode | string; message: string; id?: string };

/** Close codes in the application range: why the server let the connection go. */
export const CloseCodes = {
  sessionEnded: 4001,
  accessRevoked: 4003,
  workspaceGone: 4004,
  tooSlow: 4008,
} as const;
