import { Report } from "./report";

const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const decimal: Record<string, number> = { m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** The value of a Kubernetes quantity (2Gi, 512Mi, 1000m, 1.5) in base units; the shape is checked by the schema. */
export function quantityValue(quantity: string): number {
  const m = /^(\d+(?:\.\d+)?)([a-zA-Z]*)$/.exec(quantity);
  if (!m) return NaN;
  return Number(m[1]) * (binary[m[2]] ?? decimal[m[2]] ?? NaN);
}

interface Workspace {
  requests: { memory: string };
  limits?: { memory?: string };
}

/** A workspace memory limit below its request is refused by the API server when the pod is created. */
export function checkWorkspaceQuantities(workspace: Workspace | undefined, report: Report): void {
  const limit = workspace?.limits?.memory;
  if (workspace === undefined || limit === undefined) return;
  if (quantityValue(limit) < quantityValue(workspace.requests.memory)) {
    report.problem(
      ["gitpod", "workspace", "limits", "memory"],
      limit,
      `must be at least gitpod.workspace.requests.memory (${workspace.requests.memory}): Kubernetes refuses a limit below its request`,
    );
  }
}
