/**
 * Recovery point (RPO) and recovery time (RTO) per kind of data, for a lost cluster and a lost region, as the stack's
 * settings give them. `npm run plan` and `npm run recover -- --explain` print them; docs/backup.md explains each figure.
 * The cloud figures are the providers' stated ones (docs/backup.md names the sources); times are estimates to be
 * replaced by what the quarterly drill measures.
 */
import { StackConfig } from "../../config";

export interface Objective {
  data: string;
  clusterLoss: { rpo: string; rto: string };
  regionLoss: { rpo: string; rto: string };
}

type Field = (value: number) => boolean;

/** One cron field (`*`, `*\/n`, `a`, `a-b`, `a-b/n`, lists of these) as a predicate. */
function cronField(text: string, min: number, max: number): Field {
  const parts = text.split(",").map((part) => {
    const [range, stepText] = part.split("/");
    const step = stepText ? Number(stepText) : 1;
    const [from, to] = range === "*" ? [min, max] : range.includes("-") ? range.split("-").map(Number) : [Number(range), stepText ? max : Number(range)];
    return (value: number) => value >= from && value <= to && (value - from) % step === 0;
  });
  return (value) => parts.some((matches) => matches(value));
}

/** The longest gap between two runs of a five-field cron schedule (UTC), over 400 days, in minutes. */
export function longestCronGapMinutes(cron: string): number {
  const [minute, hour, dom, month, dow] = cron.trim().split(/\s+/);
  const minutes = Array.from({ length: 60 }, (_, i) => i).filter(cronField(minute, 0, 59));
  const hours = Array.from({ length: 24 }, (_, i) => i).filter(cronField(hour, 0, 23));
  const d = cronField(dom, 1, 31);
  const mo = cronField(month, 1, 12);
  const w = cronField(dow, 0, 7);
  // Cron's rule: when both day fields are restricted, either one matching is enough.
  const eitherDay = dom !== "*" && dow !== "*";
  const runs: number[] = [];
  for (let day = 0; day < 400; day++) {
    const date = new Date(Date.UTC(2027, 0, 1 + day));
    const weekday = date.getUTCDay();
    const byDom = d(date.getUTCDate());
    const byDow = w(weekday) || (weekday === 0 && w(7));
    if (!mo(date.getUTCMonth() + 1) || !(eitherDay ? byDom || byDow : byDom && byDow)) continue;
    for (const h of hours) for (const m of minutes) runs.push(day * 1440 + h * 60 + m);
  }
  if (runs.length < 2) return Infinity;
  let gap = 0;
  for (let i = 1; i < runs.length; i++) gap = Math.max(gap, runs[i] - runs[i - 1]);
  return gap;
}

function duration(minutes: number): string {
  if (!Number.isFinite(minutes)) return "never (the schedule does not run)";
  if (minutes % 1440 === 0) return `${minutes / 1440} d`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
}

/** How far behind the copy of the backups in the replica region may be, per cloud. */
const backupReplicationLag: Record<string, string> = {
  gcp: "15 min (turbo replication)",
  aws: "15 min for 99.99% of objects (S3 RTC)",
  azure: "the account's replication lag (typically < 15 min, no SLA)",
  existing: "the store's own replication",
};

/** How far behind the surviving copy of Gitpod's object storage may be, per cloud (docs/backup.md names the sources). */
const workspaceContentLag: Record<string, string> = {
  gcp: "up to 1 h for 99.9% of new objects (multi-region buckets, default replication)",
  aws: "15 min for 99.99% of objects (the replica bucket, S3 RTC)",
  azure: "the storage account's replication lag (typically < 15 min, no SLA; geo-redundant in production)",
};

/** What the failover does to the database, per cloud: the longest part of the rebuild in the replica region. */
const databaseTakeover: Record<string, string> = {
  gcp: "the promotion of the Cloud SQL replica",
  aws: "the RDS restore from the replicated automated backups",
  azure: "the MySQL geo-restore",
};

function databaseRegionLoss(config: StackConfig): string {
  switch (config.cloud) {
    case "gcp":
      return config.backup.databaseReplica ? "seconds (the cross-region replica's lag)" : "up to 24 h (the last daily backup in the multi-region)";
    case "aws":
      return "minutes (the replicated backups' latest restorable time)";
    case "azure":
      return "up to 1 h (geo-restore)";
    default:
      return "as your database's own replication";
  }
}

/** The figures for a stack. Pure. */
export function recoveryObjectives(config: StackConfig): Objective[] {
  const gap = longestCronGapMinutes(config.backup.schedule);
  const velero = `${duration(gap)} (backup.schedule ${config.backup.schedule})`;
  const rebuild = `${duration(20 + 10 + config.velero.restoreTimeoutMinutes + config.gitpod.installTimeoutMinutes)} at most (cluster 20 + charts 10 + restore ${config.velero.restoreTimeoutMinutes} + installer ${config.gitpod.installTimeoutMinutes} min); typically 45-90 min`;
  const regionRebuild = `the rebuild in backup.replicaRegion with ${databaseTakeover[config.cloud] ?? "the database's own failover"} (unmeasured: take the drill's figure) and the manual steps`;
  const existing = config.cloud === "existing";
  const own = (config as { existing?: { database?: { kind?: string }; objectStorage?: { kind?: string } } }).existing;
  const inClusterDatabase = existing && own?.database?.kind === "inCluster";
  const inClusterStorage = existing && own?.objectStorage?.kind === "inCluster";
  const notBackedUp = (what: string) => ({ rpo: `all of it: ${what} sits on a hostPath volume Velero does not back up`, rto: "-" });
  return [
    {
      data: "Kubernetes state: TLS certificate, ACME account keys, Gitpod's release and in-cluster objects (Velero)",
      clusterLoss: { rpo: velero, rto: rebuild },
      regionLoss: { rpo: `${velero} + ${backupReplicationLag[config.cloud]}`, rto: regionRebuild },
    },
    {
      data: "Database (users, teams, projects, workspace metadata)",
      clusterLoss: inClusterDatabase ? notBackedUp("the in-cluster MySQL") : { rpo: "0 (outside the cluster)", rto: "0 (it keeps running)" },
      regionLoss: { rpo: databaseRegionLoss(config), rto: regionRebuild },
    },
    {
      data: "Workspace content (Gitpod's object storage)",
      clusterLoss: inClusterStorage ? notBackedUp("the in-cluster MinIO") : { rpo: "0 (outside the cluster); a running workspace loses what it had not backed up yet", rto: "0" },
      regionLoss: {
        rpo: workspaceContentLag[config.cloud] ?? "the store's own replication; without one, lost",
        rto: regionRebuild,
      },
    },
  ];
}

/** The figures as lines of text. */
export function renderObjectives(config: StackConfig): string[] {
  const lines = [`Recovery points (RPO) and times (RTO) from this stack's settings (${config.cloud}; docs/backup.md):`];
  for (const o of recoveryObjectives(config)) {
    lines.push(`  ${o.data}`);
    lines.push(`    cluster lost: RPO ${o.clusterLoss.rpo}; RTO ${o.clusterLoss.rto}`);
    lines.push(`    region lost:  RPO ${o.regionLoss.rpo}; RTO ${o.regionLoss.rto}`);
  }
  return lines;
}
