/**
 * The check after the Restore (m2): only a Completed restore lets the certificate and Gitpod follow; a
 * PartiallyFailed one only when the operator accepted it; the message names the phase, Velero's counts and reasons
 * and the commands that list Velero's errors. The layer is planned on the mock runtime with the Restore's live
 * status faked; a failing check is not planned (an Output that throws is an unhandled rejection there, which is
 * how it stops `pulumi up` for real).
 */
import { restoreProblem, RestoreStatus } from "../../components/kubernetes/velero/restoreOutcome";
import { kubernetesFakes } from "../../scripts/plan/fakes/kubernetes";
import { Plan } from "../../scripts/plan/run";
import { onlyResource, resourcesOfType } from "../helpers";
import { planLayerOn, platformWithBackup, veleroLayerConfig } from "./fixtures";

describe("restoreProblem", () => {
  test("Completed goes on; PartiallyFailed only when accepted; Failed never", () => {
    expect(restoreProblem("r", { phase: "Completed" }, false)).toBeUndefined();
    expect(restoreProblem("r", { phase: "PartiallyFailed", errors: 2 }, true)).toBeUndefined();
    expect(restoreProblem("r", { phase: "PartiallyFailed", errors: 2, warnings: 5 }, false)).toMatch(
      /^Velero restore r did not complete \(phase PartiallyFailed; 2 errors; 5 warnings\)\. Velero's list of errors: velero restore describe r --details; velero restore logs r\. .*restore\.acceptPartialFailure true/,
    );
    expect(restoreProblem("r", { phase: "Failed", failureReason: "error downloading backup" }, true)).toMatch(/phase Failed; 0 errors; 0 warnings; failure reason: error downloading backup\)/);
    expect(restoreProblem("r", { phase: "FailedValidation", validationErrors: ["backup gitpod-1 not found"] }, true)).toMatch(/validation error: backup gitpod-1 not found/);
    expect(restoreProblem("r", undefined, true)).toMatch(/phase \(no phase\)/);
  });
});

describe("in the Kubernetes layer", () => {
  const fakes = kubernetesFakes.outputs as Record<string, (inputs: Record<string, unknown>, name: string) => Record<string, unknown>>;
  const completed = fakes["kubernetes:velero.io/v1:Restore"];
  const restoring = (extra: Record<string, unknown> = {}) => veleroLayerConfig({ restore: { scheduleName: "gitpod", fromReplica: false, acceptPartialFailure: false, ...extra } });
  async function planWithStatus(status: RestoreStatus, config = restoring()): Promise<Plan> {
    fakes["kubernetes:velero.io/v1:Restore"] = () => ({ status });
    try {
      return await planLayerOn(() => platformWithBackup("gcp"), config);
    } finally {
      fakes["kubernetes:velero.io/v1:Restore"] = completed;
    }
  }

  test("a Completed restore: the outcome record exists and the certificate, issuers and installer depend on it", async () => {
    const plan = await planWithStatus({ phase: "Completed", errors: 0, warnings: 1, completionTimestamp: "2026-01-01T00:00:00Z" });
    const outcome = resourcesOfType(plan, "kubernetes:core/v1:ConfigMap").find((c) => (c.inputs.metadata as { name: string }).name === "velero-restore-outcome")!;
    expect(outcome.inputs.data).toEqual({ restore: "restore-latest-gitpod", phase: "Completed", warnings: "1", errors: "0" });
    expect(outcome.dependencies).toContain(onlyResource(plan, "kubernetes:velero.io/v1:Restore").urn);
    expect(onlyResource(plan, "kubernetes:cert-manager.io/v1:Certificate").dependencies).toContain(outcome.urn);
    const installer = resourcesOfType(plan, "kubernetes:batch/v1:Job").find((job) => job.name.endsWith("-installer-install"))!;
    expect(installer.dependencies).toContain(outcome.urn);
    for (const issuer of resourcesOfType(plan, "kubernetes:cert-manager.io/v1:ClusterIssuer")) expect(issuer.dependencies).toContain(outcome.urn);
  });
});
