/**
 * Recoverability: database backups kept long enough and outliving the database, and Velero schedules that back up
 * the gitpod namespace and keep the backups.
 */
import { isReplica, isReplicaBeingPromoted, isRestoredAfterRegionLoss, types as db } from "./database";
import { policyMinimums } from "./thresholds";
import { asArray, asRecord, byUrn, chartName, dependsOn, describe, get, helmTypes, isProduction, ofType, ResourceRule, ResourceView, RuleContext, show, StackRule, truthy, Violation } from "./lib";

export const veleroScheduleType = "kubernetes:velero.io/v1:Schedule";

export const databaseBackups: ResourceRule = {
  kind: "resource",
  name: "database-backups",
  family: "backup",
  level: "mandatory",
  description:
    "Automated database backups are on and kept at least minimumRetentionDays (production) or minimumRetentionDaysDevelopment days: Cloud SQL backupConfiguration, RDS backupRetentionPeriod, Azure MySQL backup.backupRetentionDays. Read replicas (which take no backups of their own) are exempt, and a Cloud SQL replica in the update that promotes it (backup.failover).",
  config: {
    minimumRetentionDays: { type: "integer", default: policyMinimums.databaseBackupRetentionDays, description: "Fewest days of database backups in a production stack." },
    minimumRetentionDaysDevelopment: { type: "integer", default: policyMinimums.databaseBackupRetentionDaysDevelopment, description: "Fewest days of database backups in a development stack." },
  },
  types: [db.cloudSql, db.rds, db.azureServer],
  check(r, context) {
    if (isReplica(r.props) || isReplicaBeingPromoted(r, context)) return [];
    const minimum = minimumDays(context);
    const p = r.props;
    if (r.type === db.cloudSql) {
      const backup = asRecord(get(p, ["settings", "backupConfiguration"]));
      if (backup.enabled !== true) return [`${describe(r)}: settings.backupConfiguration.enabled is ${show(backup.enabled)}; set it to true`];
      // One automated backup a day: the count of retained backups is the days they reach back. Cloud SQL's default is 7.
      const retained = get(backup, ["backupRetentionSettings", "retainedBackups"]) ?? 7;
      return Number(retained) >= minimum
        ? []
        : [`${describe(r)}: settings.backupConfiguration.backupRetentionSettings.retainedBackups is ${show(retained)}; keep at least ${minimum} daily backups`];
    }
    if (r.type === db.rds) {
      const days = p.backupRetentionPeriod;
      if (days === undefined) return [`${describe(r)}: backupRetentionPeriod is unset (RDS keeps 1 day); set it to at least ${minimum}`];
      if (Number(days) === 0) return [`${describe(r)}: backupRetentionPeriod is 0, which turns automated backups off; set it to at least ${minimum}`];
      return Number(days) >= minimum ? [] : [`${describe(r)}: backupRetentionPeriod is ${show(days)}; set it to at least ${minimum}`];
    }
    // Azure MySQL Flexible Server always takes backups; 7 days unless set.
    const days = get(p, ["backup", "backupRetentionDays"]) ?? 7;
    return Number(days) >= minimum ? [] : [`${describe(r)}: backup.backupRetentionDays is ${show(days)}; set it to at least ${minimum}`];
  },
};

function minimumDays(context: RuleContext): number {
  return Number(isProduction(context) ? context.config.minimumRetentionDays : context.config.minimumRetentionDaysDevelopment);
}

export const databaseBackupsSurviveDeletion: ResourceRule = {
  kind: "resource",
  name: "database-backups-survive-deletion",
  family: "backup",
  level: "mandatory",
  description:
    "In production, deleting an RDS instance leaves its backups: a final snapshot is taken (skipFinalSnapshot false) and automated backups are kept (deleteAutomatedBackups false).",
  types: [db.rds],
  check(r, context) {
    if (!isProduction(context)) return [];
    const out: string[] = [];
    if (truthy(r.props.skipFinalSnapshot)) out.push(`${describe(r)}: skipFinalSnapshot is true; take a final snapshot in production`);
    // The provider's default deletes the automated backups with the instance.
    if (r.props.deleteAutomatedBackups !== false) {
      out.push(`${describe(r)}: deleteAutomatedBackups is ${show(r.props.deleteAutomatedBackups)} (default true); set it to false in production`);
    }
    return out;
  },
};

/** Velero's chart or one of its objects. */
function isVelero(r: ResourceView): boolean {
  return r.type.startsWith("kubernetes:velero.io/") || (helmTypes.includes(r.type) && chartName(r.props) === "velero");
}

/** Velero is part of the stack: its chart or any of its objects. */
export function declaresVelero(resources: ResourceView[]): boolean {
  return resources.some(isVelero);
}

/** Whether a Velero Schedule's backups hold the namespace: included (an empty list means all) and not excluded. */
export function scheduleCovers(schedule: ResourceView, namespace: string): boolean {
  const template = asRecord(get(schedule.props, ["spec", "template"]));
  const included = asArray(template.includedNamespaces).map(String);
  const excluded = asArray(template.excludedNamespaces).map(String);
  return (included.length === 0 || included.includes("*") || included.includes(namespace)) && !excluded.includes(namespace);
}

export const veleroScheduleCoversGitpod: StackRule = {
  kind: "stack",
  name: "velero-schedule-covers-gitpod",
  family: "backup",
  level: "mandatory",
  description: "A stack that deploys Velero has a Velero Schedule whose backups include the Gitpod namespace (spec.template.includedNamespaces, not excluded).",
  config: { gitpodNamespace: { type: "string", default: "gitpod", description: "Namespace Gitpod is installed in." } },
  check(resources, context) {
    if (!declaresVelero(resources)) return [];
    const namespace = String(context.config.gitpodNamespace);
    const schedules = resources.filter((r) => r.type === veleroScheduleType);
    if (schedules.some((s) => scheduleCovers(s, namespace))) return [];
    if (schedules.length === 0) {
      const velero = resources.find(isVelero) as ResourceView;
      return [{ urn: velero.urn, message: `${describe(velero)}: Velero is deployed but no ${veleroScheduleType} exists; add a schedule whose spec.template.includedNamespaces holds "${namespace}"` }];
    }
    return schedules.map(
      (s): Violation => ({
        urn: s.urn,
        message: `${describe(s)}: spec.template.includedNamespaces is ${show(get(s.props, ["spec", "template", "includedNamespaces"]))}, excludedNamespaces ${show(get(s.props, ["spec", "template", "excludedNamespaces"]))}: no schedule backs up the "${namespace}" namespace`,
      }),
    );
  },
};

/** Hours of a Go duration such as 720h0m0s; undefined if it cannot be read. */
export function durationHours(duration: string): number | undefined {
  const parts = [...duration.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)];
  if (parts.length === 0 || parts.map((m) => m[0]).join("") !== duration) return undefined;
  const factor: Record<string, number> = { h: 1, m: 1 / 60, s: 1 / 3600, ms: 1 / 3_600_000 };
  return parts.reduce((sum, m) => sum + Number(m[1]) * factor[m[2]], 0);
}

export const veleroBackupRetention: ResourceRule = {
  kind: "resource",
  name: "velero-backup-retention",
  family: "backup",
  level: "mandatory",
  description: "In production, every Velero Schedule keeps its backups at least minimumTtlHours (spec.template.ttl; Velero's default is 720h).",
  config: { minimumTtlHours: { type: "integer", default: policyMinimums.veleroBackupTtlHours, description: "Fewest hours a scheduled Velero backup is kept in production." } },
  types: [veleroScheduleType],
  check(r, context) {
    if (!isProduction(context)) return [];
    const ttl = get(r.props, ["spec", "template", "ttl"]);
    if (ttl === undefined) return [];
    const hours = durationHours(String(ttl));
    const minimum = Number(context.config.minimumTtlHours);
    if (hours === undefined) return [`${describe(r)}: spec.template.ttl ${show(ttl)} is not a duration such as 720h0m0s`];
    return hours >= minimum ? [] : [`${describe(r)}: spec.template.ttl is ${show(ttl)}; keep backups at least ${minimum}h in production`];
  },
};

export const veleroScheduleActive: ResourceRule = {
  kind: "resource",
  name: "velero-schedule-active",
  family: "backup",
  level: "advisory",
  description: "Velero Schedules are not paused (spec.paused). Restore mode pauses them on purpose, which is why this only warns.",
  types: [veleroScheduleType],
  check(r) {
    return truthy(get(r.props, ["spec", "paused"])) ? [`${describe(r)}: spec.paused is true; no backups are taken until it is unpaused (expected only while restoring)`] : [];
  },
};

export const veleroLocationType = "kubernetes:velero.io/v1:BackupStorageLocation";

/** GCS locations that span regions: multi-regions and predefined dual-regions. */
const gcsMultiRegion = /^(EU|US|ASIA|EUR\d+|NAM\d+|ASIA\d+)$/i;

/** Where a backup store keeps copies outside its region, or why it does not; undefined if the type is not a store. */
function storeOutsideRegion(store: ResourceView, resources: ResourceView[], index: Map<string, ResourceView>): string | undefined | true {
  const p = store.props;
  switch (store.type) {
    case "gcp:storage/bucket:Bucket": {
      const locations = asArray(get(p, ["customPlacementConfig", "dataLocations"]));
      return gcsMultiRegion.test(String(p.location ?? "")) || locations.length >= 2
        ? true
        : `location is ${show(p.location)} and customPlacementConfig.dataLocations ${show(locations)}: a single region; use a dual- or multi-region`;
    }
    case "aws:s3/bucket:Bucket":
    case "aws:s3/bucketV2:BucketV2":
      return ofType(resources, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").some(
        (c) => dependsOn(c, store, index) && asArray(c.props.rules).some((rule) => get(rule, ["status"]) === "Enabled"),
      )
        ? true
        : "no BucketReplicationConfig with an Enabled rule replicates it to another region";
    case "azure-native:storage:StorageAccount": {
      const sku = String(get(p, ["sku", "name"]) ?? "");
      return /GRS|GZRS/.test(sku) ? true : `sku.name is ${show(sku || undefined)}; use a geo-redundant SKU (RAGZRS, GZRS, RAGRS or GRS)`;
    }
  }
  return undefined;
}

export const backupsInSecondRegion: StackRule = {
  kind: "stack",
  name: "backups-in-second-region",
  family: "backup",
  level: "mandatory",
  description:
    "In production, backups survive the loss of the region: Velero's backup store is dual/multi-region (GCS), replicated (S3 BucketReplicationConfig) or geo-redundant (Azure SKU); RDS automated backups are replicated (InstanceAutomatedBackupsReplication); Azure MySQL backups are geoRedundantBackup. A database the failover restored from the lost region's backups (backup.failover) is exempt: its second region is the lost one.",
  check(resources, context) {
    if (!isProduction(context)) return [];
    const index = byUrn(resources);
    const out: Violation[] = [];
    for (const location of ofType(resources, veleroLocationType)) {
      // The store is what the location depends on: the bucket, or the container and its account.
      const stores = resources.filter((r) => dependsOn(location, r, index) && storeOutsideRegion(r, resources, index) !== undefined);
      for (const store of stores) {
        const verdict = storeOutsideRegion(store, resources, index);
        if (verdict !== true) out.push({ urn: store.urn, message: `${describe(store)} (Velero's store for ${location.name}): ${verdict}` });
      }
    }
    for (const rds of ofType(resources, db.rds).filter((r) => !isReplica(r.props) && !isRestoredAfterRegionLoss(r, context))) {
      const replicated = ofType(resources, "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication").some((r) => dependsOn(r, rds, index));
      if (!replicated) out.push({ urn: rds.urn, message: `${describe(rds)}: no InstanceAutomatedBackupsReplication copies its automated backups to another region` });
    }
    for (const server of ofType(resources, db.azureServer).filter((r) => !isReplica(r.props) && !isRestoredAfterRegionLoss(r, context))) {
      const geo = get(server.props, ["backup", "geoRedundantBackup"]);
      if (geo !== "Enabled") out.push({ urn: server.urn, message: `${describe(server)}: backup.geoRedundantBackup is ${show(geo)}; set it to Enabled` });
    }
    return out;
  },
};

export const backupRules = [databaseBackups, databaseBackupsSurviveDeletion, backupsInSecondRegion, veleroScheduleCoversGitpod, veleroBackupRetention, veleroScheduleActive];
