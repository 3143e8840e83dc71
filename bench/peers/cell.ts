// The shapes shared by the peer section of the bench: a peer tool's cell on
// one task (a computation that can be shrunk to part of the problem, with
// the matching part of the hand-written derivative to check it against), a
// task with its hand-written reference, and the recorded result of a cell.

/** The peers run in the bench (PEERS.md quotes the others). */
export type PeerTool = "fd" | "tfjs";

/** Column titles of the peers run. */
export const PEER_TOOL_TITLES: Readonly<Record<PeerTool, string>> = {
  fd: "finite diff. (JS)",
  tfjs: "TF.js 4.22 cpu (f32)",
};

/** A peer's computation on `units` of the problem: `run` is timed, its
 * result compared with `want()` (the hand-written derivative's same part);
 * `dispose` frees what the computation holds (TF.js tensors). */
export interface Sized {
  readonly run: () => unknown;
  readonly want: () => unknown;
  readonly dispose?: () => void;
}

/** A peer tool on one task. The problem consists of `full` work units (FD
 * directions, reverse sweeps, RK4 steps) whose cost adds up linearly; `full`
 * is 1 if it cannot be shrunk. */
export interface PeerCell {
  readonly tool: PeerTool;
  readonly full: number;
  readonly unit: string;
  readonly at: (units: number) => Sized;
}

/** One task of the peer table: the hand-written derivative (timed for H)
 * and the peers' cells. `row` is the bench row with deriv's figure for it. */
export interface PeerTask {
  readonly key: string;
  readonly task: string;
  readonly row: string;
  readonly hand: () => unknown;
  readonly cells: readonly PeerCell[];
}

/** The recorded outcome of one cell (times in seconds). */
export interface PeerResult {
  readonly key: string;
  readonly task: string;
  readonly tool: PeerTool;
  /** The hand-written derivative's median time. */
  readonly handSeconds: number;
  /** The peer's time for the full problem (extrapolated if `measuredUnits < fullUnits`). */
  readonly seconds: number;
  /** H: `seconds` / `handSeconds` (paired per round when interleaved). */
  readonly ratio: number;
  /** Largest relative error against the hand-written derivative, on the part computed. */
  readonly error: number;
  /** Timed calls the figure is the median of (1: a single call). */
  readonly repetitions: number;
  readonly measuredUnits: number;
  readonly fullUnits: number;
  readonly unit: string;
  readonly extrapolated: boolean;
}
