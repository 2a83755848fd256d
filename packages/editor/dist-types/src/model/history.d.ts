/** Undo/redo over immutable snapshots. Pure: every operation returns a new history. */
export interface History<T> {
    past: T[];
    present: T;
    future: T[];
}
export declare function createHistory<T>(present: T): History<T>;
/** Records a new present; the old one becomes undoable and the redo branch is dropped. */
export declare function record<T>(history: History<T>, next: T): History<T>;
export declare function undo<T>(history: History<T>): History<T>;
export declare function redo<T>(history: History<T>): History<T>;
