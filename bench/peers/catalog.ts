// The tasks of the peer table, with the figures of the peers that are not
// rerun: PyTorch 1.13 (1 thread) and ADOL-C 2.7.2 (tape reused), quoted from
// ../shared/bench/PEERS.md (measured 2026-11-26, 2 cores, Node 20.20, g++
// 12.2; n = 10,000 for T4). Quotes are attached only where a task has the
// size PEERS.md measured.

/** Where the quoted figures come from (printed under the table). */
export const QUOTED_SOURCE =
  "PyTorch 1.13 (1 thread) and ADOL-C 2.7.2 (tape reused): quoted from ../shared/bench/PEERS.md (measured 2026-11-26 on a 2-core machine of the same kind, Node 20.20, g++ 12.2), not rerun.";

/** A quoted figure per tool: time · H as PEERS.md prints it. */
export interface QuotedPeers {
  readonly pytorch: string;
  readonly adolc: string;
}

/** One task of the peer table. `row` is the bench row holding deriv's
 * figure for the same derivative. */
export interface PeerTaskInfo {
  readonly key: string;
  readonly task: string;
  readonly row: string;
  readonly quoted?: QuotedPeers;
}

/** The T4 sizes of a run's peer tasks. */
export interface PeerSizes {
  readonly t4Sparse: number;
  readonly t4Dense: number;
}

const PEERS_MD_T4 = 10_000;

function info(key: string, task: string, row: string, quoted: QuotedPeers | undefined): PeerTaskInfo {
  return quoted ? { key, task, row, quoted } : { key, task, row };
}

/** The peer tasks of a run, in table order. */
export function peerCatalog(sizes: PeerSizes): PeerTaskInfo[] {
  const s = sizes.t4Sparse;
  const d = sizes.t4Dense;
  const size = (n: number): string => n.toLocaleString("en-US");
  const atPeersSize = (n: number, quoted: QuotedPeers): QuotedPeers | undefined => (n === PEERS_MD_T4 ? quoted : undefined);
  return [
    info("T1-1000", "T1 n=1,000 gradient", "T1-1000-grad", { pytorch: "243 µs · 53 H", adolc: "220 µs · 48 H" }),
    info("T1-100000", "T1 n=100,000 gradient", "T1-100000-grad", { pytorch: "3.7 ms · 7.3 H", adolc: "18 ms · 36 H" }),
    info("T2", "T2 Lorenz RK4 gradient", "T2-grad", { pytorch: "5.3 s · 13432 H", adolc: "12.8 ms · 32 H" }),
    info("T3", "T3 logistic gradient", "T3-grad", { pytorch: "366 µs · 0.56 H", adolc: "7.5 ms · 11.5 H" }),
    info(`T4-${s}-sparse`, `T4 n=${size(s)} sparse Jacobian (3 colours)`, `T4-${s}-sparse`, atPeersSize(s, { pytorch: "3.2 ms · 11.6 H", adolc: "1.9 ms · 7.0 H" })),
    info(`T4-${d}-dense`, `T4 n=${size(d)} dense Jacobian`, `T4-${d}-dense`, atPeersSize(d, { pytorch: "6.6 s", adolc: "2.4 s" })),
    info("T5", "T5 n=1,000 Hessian-vector product", "T5-hvp", { pytorch: "1.0 ms · 318 H", adolc: "3.3 ms · 1050 H" }),
  ];
}
