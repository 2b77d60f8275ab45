/**
 * Recovery points and times from a stack's settings, and the offline explanation of a recovery (what
 * `npm run recover` prints without the Pulumi CLI): derived from the config and the offline plan, not fixed text.
 */
import { parseStackConfig } from "../../config";
import { readStackFile } from "../../scripts/plan/stackFile";
import { explainRecovery, StackPlanner } from "../../scripts/recover/explain";
import { longestCronGapMinutes, recoveryObjectives, renderObjectives } from "../../scripts/recover/objectives";
import { committedPlan, configValues, minimalGcpConfig, overriddenPlan } from "../helpers";

test.each([
  ["0 */6 * * *", 360],
  ["30 2 * * *", 1440],
  ["0 1,13 * * *", 720],
  ["*/15 * * * *", 15],
  ["0 3 * * 1", 10080],
  ["0 3 * * 7", 10080],
  ["0 0 1 * *", 44640],
  ["0 0 1 1,7 *", 184 * 1440],
])("the longest gap of %s is %i minutes", (cron, minutes) => {
  expect(longestCronGapMinutes(cron)).toBe(minutes);
});

describe("recovery objectives", () => {
  const gcp = (extra: Record<string, unknown> = {}) => parseStackConfig(configValues({ ...minimalGcpConfig, ...extra }));

  test("Velero's recovery point follows backup.schedule, plus the replication lag after a region loss", () => {
    const [state] = recoveryObjectives(gcp({ backup: { replicaRegion: "europe-west4", schedule: "0 * * * *" } }));
    expect(state.clusterLoss.rpo).toBe("1 h (backup.schedule 0 * * * *)");
    expect(state.regionLoss.rpo).toBe("1 h (backup.schedule 0 * * * *) + 15 min (turbo replication)");
  });

  test("the rebuild's upper bound follows the restore and installer timeouts", () => {
    const [state] = recoveryObjectives(gcp({ velero: { restoreTimeoutMinutes: 30 }, gitpod: { installTimeoutMinutes: 20 } }));
    expect(state.clusterLoss.rto).toMatch(/^1 h 20 min at most \(cluster 20 \+ charts 10 \+ restore 30 \+ installer 20 min\)/);
  });

  test("the database after a region loss: the replica's lag with backup.databaseReplica, the last daily backup without", () => {
    const database = (extra: Record<string, unknown>) => recoveryObjectives(gcp(extra))[1];
    expect(database({ backup: { replicaRegion: "europe-west4", databaseReplica: true } }).regionLoss.rpo).toMatch(/^seconds/);
    expect(database({}).regionLoss.rpo).toMatch(/^up to 24 h/);
    expect(database({}).clusterLoss.rpo).toBe("0 (outside the cluster)");
  });

  test("every committed stack renders its figures", () => {
    for (const stack of ["prod", "aws-prod", "azure-prod", "k3s"]) {
      const lines = renderObjectives(parseStackConfig(readStackFile(stack).values));
      expect(lines[0]).toMatch(/^Recovery points \(RPO\) and times \(RTO\)/);
      expect(lines.filter((l) => l.includes("cluster lost: RPO"))).toHaveLength(3);
    }
  });
});

/** The plans of this jest run, shared with the other suites (the command plans the stack itself). */
const sharedPlans: StackPlanner = (stack, overrides) => (overrides ? overriddenPlan(stack, overrides) : committedPlan(stack));

describe("the offline explanation", () => {
  test("prod: labelled as an explanation; the restore's source, what it brings back and leaves out, Pulumi's objects, the figures", async () => {
    const text = (await explainRecovery("prod", {}, sharedPlans)).join("\n");
    expect(text).toMatch(/^EXPLANATION of the recovery of stack prod: offline/);
    expect(text).toContain("Nothing was read from the stack's state");
    expect(text).toContain("from the newest completed backup of schedule gitpod");
    expect(text).toContain("the TLS Secret https-certificates, the ACME account keys in cert-manager (letsencrypt-production-account-key, letsencrypt-staging-account-key)");
    expect(text).toContain("leaves out, by label: app.kubernetes.io/managed-by NotIn (pulumi) and component NotIn (workspace)");
    expect(text).toMatch(/recreated by Pulumi and never restored \(\d+\):\n( {2}.*\n)* {2}Secret gitpod\/database/);
    expect(text).toMatch(/only after the Restore ended and its outcome was accepted:\n( {2}.*\n)* {2}Job gitpod-installer\//);
    expect(text).toContain("Recovery points (RPO) and times (RTO)");
  }, 60000);

  test("aws-prod after a region loss: the manual steps and the replica location", async () => {
    const text = (await explainRecovery("aws-prod", { regionLoss: true, backupName: "gitpod-20260101000000" }, sharedPlans)).join("\n");
    expect(text).toContain("after losing its region");
    expect(text).toContain("set backup.failover: true");
    expect(text).toContain("aws rds describe-db-instance-automated-backups");
    // The failover makes the replica bucket Velero's location (components/aws/index.ts failoverBackupTarget).
    expect(text).toMatch(/from backup gitpod-20260101000000, read through the location `default` \(bucket [^,]*-velero-replica[^,]*, eu-central-1\)/);
    expect(text).toMatch(/The replica site backup.failover builds in eu-central-1 \(\d+ cloud resources/);
    expect(text).toContain("drops (0;");
  }, 60000);
});
