import { ConfigError, parseStackConfig } from "../../config";
import { databaseBackups, veleroBackupRetention, veleroScheduleType } from "../../policy/backup";
import { stackContext } from "../../policy/context";
import { isReplica, types as db } from "../../policy/database";
import { evaluate, fromPlanned } from "../../policy/evaluate";
import { ResourceView } from "../../policy/lib";
import { policyMinimums } from "../../policy/thresholds";
import { committedStacks, readStackFile } from "../../scripts/plan/stackFile";
import { committedPlan } from "../helpers";

/** Sets a database resource's backup retention where each cloud keeps it. */
function withRetention(r: ResourceView, days: number): ResourceView {
  const props = JSON.parse(JSON.stringify(r.props));
  if (r.type === db.cloudSql) props.settings.backupConfiguration.backupRetentionSettings = { retainedBackups: days };
  else if (r.type === db.rds) props.backupRetentionPeriod = days;
  else props.backup = { ...props.backup, backupRetentionDays: days };
  return { ...r, props };
}

function withTtl(r: ResourceView, hours: number): ResourceView {
  const props = JSON.parse(JSON.stringify(r.props));
  props.spec.template.ttl = `${hours}h0m0s`;
  return { ...r, props };
}

function configProblems(values: Record<string, string>, stack: string): string[] {
  try {
    parseStackConfig(values, { stack });
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

/** Each production stack, whatever its cloud: a value below a mandatory rule's minimum is refused by both, the minimum by neither. */
const productionStacks = committedStacks().filter((stack) => readStackFile(stack).values["gitpod-platform:environment"] === "production");

describe.each(productionStacks)("config validation and the policy pack agree on %s", (stack) => {
  const { values } = readStackFile(stack);
  const cloud = values["gitpod-platform:cloud"];
  const context = stackContext(stack, values);
  let resources: ResourceView[];
  beforeAll(async () => {
    resources = (await committedPlan(stack)).resources.map(fromPlanned);
  });
  const setKey = (key: string, field: string, value: number) => ({
    ...values,
    [`gitpod-platform:${key}`]: JSON.stringify({ ...JSON.parse(values[`gitpod-platform:${key}`] ?? "{}"), [field]: value }),
  });

  (cloud === "existing" ? it.skip : it)("on database backup retention (database-backups)", () => {
    const minimum = policyMinimums.databaseBackupRetentionDays;
    const database = resources.filter((r) => ([db.cloudSql, db.rds, db.azureServer] as string[]).includes(r.type) && !isReplica(r.props));
    expect(database.length).toBeGreaterThan(0);
    for (const days of [minimum - 1, minimum]) {
      const policyRefuses = evaluate([databaseBackups], database.map((r) => withRetention(r, days)), context).length > 0;
      const configRefuses = configProblems(setKey("database", "backupRetentionDays", days), stack).some((p) => p.includes("database.backupRetentionDays"));
      expect({ days, policyRefuses, configRefuses }).toEqual({ days, policyRefuses: days < minimum, configRefuses: days < minimum });
    }
  });

  it("on Velero backup TTL (velero-backup-retention)", () => {
    const minimum = policyMinimums.veleroBackupTtlHours;
    const schedules = resources.filter((r) => r.type === veleroScheduleType);
    expect(schedules.length).toBeGreaterThan(0);
    for (const hours of [minimum - 1, minimum]) {
      const policyRefuses = evaluate([veleroBackupRetention], schedules.map((r) => withTtl(r, hours)), context).length > 0;
      const configRefuses = configProblems(setKey("backup", "ttlHours", hours), stack).some((p) => p.includes("backup.ttlHours"));
      expect({ hours, policyRefuses, configRefuses }).toEqual({ hours, policyRefuses: hours < minimum, configRefuses: hours < minimum });
    }
  });
});
