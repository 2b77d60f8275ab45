/** The order in which Velero restores resources: its own default list, read from facts/, with one change. */
import * as fs from "fs";
import * as path from "path";

/** Velero's default restore order (facts/velero/restore-priorities.json, from Velero 1.18.1's source). */
function velerosDefaultRestorePriorities(): { highPriorities: string[]; lowPriorities: string[] } {
  const file = path.join(__dirname, "..", "..", "..", "facts", "velero", "restore-priorities.json");
  return JSON.parse(fs.readFileSync(file, "utf8")) as { highPriorities: string[]; lowPriorities: string[] };
}

/**
 * `--restore-resource-priorities`: Velero's whole default list (the flag replaces it) with `resourcequotas` before
 * `pods`. GKE admits a pod with the system-node-critical or system-cluster-critical PriorityClass outside kube-system
 * only when its namespace has a ResourceQuota for that class; Gitpod renders `gitpod-resource-quota` for exactly
 * that, and seven of its workloads use the class. In Velero's default order pods come before quotas (quotas are
 * not in the list at all), so every such pod would be refused and the restore would end PartiallyFailed.
 */
export function restoreResourcePriorities(): string {
  const { highPriorities, lowPriorities } = velerosDefaultRestorePriorities();
  const beforePods = highPriorities.indexOf("pods");
  if (beforePods < 0) throw new Error("facts/velero/restore-priorities.json: Velero's default order has no pods");
  const high = [...highPriorities.slice(0, beforePods), "resourcequotas", ...highPriorities.slice(beforePods)];
  return [...high, "-", ...lowPriorities].join(",");
}
