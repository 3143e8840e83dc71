// The peer section of `npm run bench`: loads TF.js (only if some peer task
// is wanted, so `--only` runs without peers never import it) and measures
// the finite-difference and TF.js cells of each wanted task.

import { peerCatalog } from "./catalog.js";
import type { PeerSizes } from "./catalog.js";
import type { PeerResult } from "./cell.js";
import type { PeerTimingOptions } from "./measure.js";
import { measurePeerTask } from "./measure.js";
import { peerTasks } from "./tasks.js";
import { loadTfjs } from "./tfjs.js";

/** The results of every wanted peer task (empty if none is wanted). */
export async function runPeers(sizes: PeerSizes, isWanted: (key: string) => boolean, options: PeerTimingOptions): Promise<PeerResult[]> {
  if (!peerCatalog(sizes).some((info) => isWanted(info.key))) return [];
  const tf = await loadTfjs();
  const results: PeerResult[] = [];
  for (const task of peerTasks(sizes, tf, isWanted)) results.push(...measurePeerTask(task, options));
  return results;
}
