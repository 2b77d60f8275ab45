/**
 * Recoverability: database backups kept long enough and outliving the database, and Velero schedules that back up
 * the gitpod namespace and keep the backups.
 */
import { isReplica, types as db } from "./database";
import { asArray, asRecord, chartName, describe, get, helmTypes, isProduction, ResourceRule, ResourceView, RuleContext, show, StackRule, truthy, Violation } from "./lib";

export const veleroScheduleType = "kubernetes:velero.io/v1:Schedule";

export const databaseBackups: ResourceRule = {
  kind: "resource",
  name: "database-backups",
  family: "backup",
  level: "mandatory",
  description:
    "Automated database backups are on and kept at least minimumRetentionDays (production) or minimumRetentionDaysDevelopment days: Cloud SQL backupConfiguration, RDS backupRetentionPeriod, Azure MySQL backup.backupRetentionDays. Read replicas (which take no backups of their own) are exempt.",
  config: {
    minimumRetentionDays: { type: "integer", default: 7, description: "Fewest days of database backups in a production stack." },
    minimumRetentionDaysDevelopment: { type: "integer", default: 1, description: "Fewest days of database backups in a development stack." },
  },
  types: [db.cloudSql, db.rds, db.azureServer],
  check(r, context) {
    if (isReplica(r.props)) return [];
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
  config: { minimumTtlHours: { type: "integer", default: 168, description: "Fewest hours a scheduled Velero backup is kept in production." } },
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

export const backupRules = [databaseBackups, databaseBackupsSurviveDeletion, veleroScheduleCoversGitpod, veleroBackupRetention, veleroScheduleActive];
