// Types for the parts of ot.js (npm `ot` 0.0.15) the editor uses. Imported per file: the
// package's main entry pulls in a socket.io server.

declare module 'ot/lib/text-operation' {
  export type OpComponent = number | string;
  export default class TextOperation {
    ops: OpComponent[];
    baseLength: number;
    targetLength: number;
    retain(n: number): TextOperation;
    insert(text: string): TextOperation;
    delete(n: number | string): TextOperation;
    isNoop(): boolean;
    apply(text: string): string;
    invert(text: string): TextOperation;
    shouldBeComposedWithInverted(other: TextOperation): boolean;
    compose(other: TextOperation): TextOperation;
    toJSON(): OpComponent[];
    static fromJSON(ops: OpComponent[]): TextOperation;
    static transform(a: TextOperation, b: TextOperation): [TextOperation, TextOperation];
    static isRetain(op: OpComponent): op is number;
    static isInsert(op: OpComponent): op is string;
    static isDelete(op: OpComponent): op is number;
  }
}

declare module 'ot/lib/selection' {
  import type TextOperation from 'ot/lib/text-operation';
  class Range {
    constructor(anchor: number, head: number);
    anchor: number;
    head: number;
    transform(operation: TextOperation): Range;
  }
  export default class Selection {
    constructor(ranges?: Range[]);
    ranges: Range[];
    transform(operation: TextOperation): Selection;
    static Range: typeof Range;
  }
}

declare module 'ot/lib/client' {
  import type TextOperation from 'ot/lib/text-operation';
  interface ClientState {
    applyClient(client: Client, operation: TextOperation): ClientState;
    applyServer(client: Client, operation: TextOperation): ClientState;
    serverAck(client: Client): ClientState;
    transformSelection<S extends { transform(op: TextOperation): S }>(selection: S): S;
    resend?(client: Client): void;
  }
  class Synchronized implements ClientState {
    applyClient(client: Client, operation: TextOperation): ClientState;
    applyServer(client: Client, operation: TextOperation): ClientState;
    serverAck(client: Client): ClientState;
    transformSelection<S extends { transform(op: TextOperation): S }>(selection: S): S;
  }
  class AwaitingConfirm extends Synchronized {
    outstanding: TextOperation;
  }
  class AwaitingWithBuffer extends Synchronized {
    outstanding: TextOperation;
    buffer: TextOperation;
  }
  export default class Client {
    constructor(revision: number);
    revision: number;
    state: ClientState;
    applyClient(operation: TextOperation): void;
    applyServer(operation: TextOperation): void;
    serverAck(): void;
    serverReconnect(): void;
    transformSelection<S extends { transform(op: TextOperation): S }>(selection: S): S;
    sendOperation(revision: number, operation: TextOperation): void;
    applyOperation(operation: TextOperation): void;
    static Synchronized: typeof Synchronized;
    static AwaitingConfirm: typeof AwaitingConfirm;
    static AwaitingWithBuffer: typeof AwaitingWithBuffer;
  }
}

declare module 'ot/lib/undo-manager' {
  import type TextOperation from 'ot/lib/text-operation';
  export default class UndoManager {
    constructor(maxItems?: number);
    undoStack: TextOperation[];
    redoStack: TextOperation[];
    add(operation: TextOperation, compose?: boolean): void;
    transform(operation: TextOperation): void;
    performUndo(fn: (operation: TextOperation) => void): void;
    performRedo(fn: (operation: TextOperation) => void): void;
    canUndo(): boolean;
    canRedo(): boolean;
    isUndoing(): boolean;
    isRedoing(): boolean;
  }
}
