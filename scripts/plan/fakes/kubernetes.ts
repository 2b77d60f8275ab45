import { CloudFakes } from "./types";

/**
 * Fake computed outputs and calls for kubernetes resources in the offline plan. Objects the program declares
 * need none: their state is their inputs. A helm.sh/v4 Chart is a remote component that the provider renders;
 * offline nothing renders it, so its `resources` output (the rendered objects) is empty and the plan shows the
 * chart with its pinned version and values instead (see docs/kubernetes.md).
 */
export const kubernetesFakes: CloudFakes = {
  outputs: {
    "kubernetes:helm.sh/v4:Chart": () => ({ resources: [] }),
    // A Velero Restore that completed: the plan shows the recovery that goes on after it (restoreOutcome.ts).
    "kubernetes:velero.io/v1:Restore": () => ({ status: { phase: "Completed", errors: 0, warnings: 0, completionTimestamp: "2026-01-01T00:00:00Z" } }),
  },
  calls: {},
};
