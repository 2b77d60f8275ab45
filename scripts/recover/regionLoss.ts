/**
 * What a region loss needs that the program cannot do for you, per cloud: `npm run recover -- --region-loss` prints
 * it (and its offline explanation does too). Pure data; the commands are templates with <placeholders>.
 * The automated part is `backup.failover` (the Kubernetes layer restores from the replica of the backups; the cloud
 * layer builds in `backup.replicaRegion`) followed by the same rebuild as for a lost cluster.
 */
export interface ManualStep {
  what: string;
  /** A command to start from, with <placeholders>; none where there is nothing to run. */
  command?: string;
  /** Before the rebuild (the rebuild needs it) or after it. */
  when: "before" | "after";
}

const dnsStep: ManualStep = {
  what:
    "DNS: the zone is a global service and survives; external-dns in the new cluster repoints <domain>, *.<domain> and *.ws.<domain> " +
    "to the new load balancer (same TXT owner id). Check the records once the proxy has its address; clients follow within the records' TTL",
  command: "dig +short <domain>",
  when: "after",
};

export const regionLossSteps: Record<string, ManualStep[]> = {
  gcp: [
    {
      what:
        "Database: nothing to run. backup.failover promotes the cross-region replica (backup.databaseReplica; one way: it stops replicating) " +
        "during the rebuild. Do not promote it by hand; if you did, refresh the replica instance first. " +
        "Check its replication lag (the data it has not received is lost)",
      command: "pulumi refresh --stack <stack> --target '<replica instance urn>'   # only after a promotion by hand",
      when: "before",
    },
    { what: "Gitpod's object storage (workspace content): nothing to do, its buckets are multi-region (the newest objects may be missing)", when: "before" },
    { what: "Velero: nothing to do, the dual-region backup bucket serves from the surviving region under the same name", when: "before" },
    { what: "Identities: Google service accounts and workload identity are the project's (global) and serve the replica cluster unchanged", when: "before" },
    {
      what: "Quotas: backup.replicaRegion must allow the pools' sizes (N2D_CPUS, SSD_TOTAL_GB, IN_USE_ADDRESSES); request them before the rebuild",
      command: "gcloud compute regions describe <replica region> --project <project> --format='table(quotas.metric,quotas.limit,quotas.usage)'",
      when: "before",
    },
    {
      what:
        "Database: the promoted instance gets automated backups and HA in the update after the one that promoted it (Cloud SQL takes neither on a replica): " +
        "the recover command's last update is that one; check them, and after a failover by hand run `pulumi up` once more",
      command: "gcloud sql instances describe <replica instance> --project <project> --format='value(settings.backupConfiguration.enabled,settings.availabilityType)'",
      when: "after",
    },
    {
      what: "Workspace images: the replica site's registry starts empty; Gitpod rebuilds workspace images on first use (the mirror Job copies Gitpod's own images)",
      when: "after",
    },
    dnsStep,
    {
      what:
        "When the lost region returns, its cluster and database come back with an old Gitpod and old data (the promotion detached the replica): " +
        "stop the old cluster's Gitpod before anything reaches it. The stack still declares both; moving back is a migration, not a failback",
      command:
        "gcloud container clusters get-credentials <old cluster> --region <old region> --project <project> --dns-endpoint && " +
        "kubectl -n gitpod scale deployment,statefulset --all --replicas=0",
      when: "after",
    },
  ],
  aws: [
    {
      what:
        "Database: check that the replicated automated backups are in backup.replicaRegion (status replicating, or retained once the source is gone) and note their latest " +
        "restorable time: backup.failover restores a new instance from them to that time (components/aws/replicaSite.ts)",
      command: "aws rds describe-db-instance-automated-backups --region <replica region> --query \"DBInstanceAutomatedBackups[].[DBInstanceIdentifier,Status,RestoreWindow.LatestTime]\"",
      when: "before",
    },
    {
      what:
        "Velero: backup.failover makes the replica bucket its location (restores read it, new backups go there while the lost region's bucket is out of reach); " +
        "check it is Available once the rebuild is done",
      command: "velero backup-location get",
      when: "after",
    },
    {
      what:
        "The lost region: its cluster, database and buckets stay in the state, protected, and nothing touches them; when the region returns, stop what still runs " +
        "there (EKS node groups, the RDS instance) before anything writes to it again, and plan the way back as a new change",
      command: "aws eks list-nodegroups --region <primary region> --cluster-name <cluster>",
      when: "after",
    },
    dnsStep,
  ],
  azure: [
    {
      what:
        "Gitpod's object storage (workspace content): fail the storage account over to the paired region (what was written after its last sync time is lost). " +
        "It keeps its name and key; backup.failover stops the program from resetting its new location and LRS SKU",
      command: "az storage account failover --name <gitpod storage account> --resource-group <resource group>",
      when: "before",
    },
    {
      what:
        "Azure Resource Manager routes writes through a resource group's location, and the DNS zone, registry and Velero's account sit in groups of the lost region: " +
        "the rebuild grants the new identities on them and external-dns writes the zone's records. Check such a write works before relying on it (unverified offline); " +
        "until it does, the rebuild stops at those role assignments",
      command:
        "az network dns record-set txt add-record --resource-group <resource group> --zone-name <domain> --record-set-name failover-check --value ok " +
        "&& az network dns record-set txt delete --resource-group <resource group> --zone-name <domain> --name failover-check --yes",
      when: "before",
    },
    {
      what:
        "Database: nothing to run, backup.failover geo-restores the server into the paired region (up to 1 h behind) and points Gitpod at it. " +
        "The restored server has no HA and locally redundant backups (Azure cannot create geo-redundant servers while the pair is down); turn both on once the lost region is back",
      command: "az mysql flexible-server update --resource-group <resource group>-replica --name <server>-replica-<hash> --high-availability ZoneRedundant --geo-redundant-backup Enabled",
      when: "after",
    },
    {
      what: "Gitpod's storage account is LRS after the failover: make it geo-redundant again (towards the old primary) once that region is back",
      command: "az storage account update --name <gitpod storage account> --resource-group <resource group> --sku Standard_RAGRS",
      when: "after",
    },
    { what: "Velero: restores read the backup account's read-only secondary endpoint (backup.failover does it); nothing to run", when: "before" },
    {
      what:
        "Velero: new backups go to the backup account's primary endpoint, in the lost region, and fail until it returns (the program no longer waits for that location); " +
        "to take backups sooner, fail Velero's account over too (it keeps its name; whether Azure allows it with the version-level immutability policy is unverified offline)",
      command: "velero backup-location get   # then, to fail over: az storage account failover --name <velero account> --resource-group <velero resource group>",
      when: "after",
    },
    { what: "Registry: the Premium registry's geo-replica in the paired region serves the same login server and token; nothing to run", when: "before" },
    dnsStep,
  ],
};

/** The manual steps of a cloud as numbered lines. */
export function regionLossLines(cloud: string): string[] {
  const steps = regionLossSteps[cloud];
  if (!steps) return [`cloud ${cloud}: the program places nothing in a region; rebuild the cluster elsewhere and recover it as a lost cluster`];
  const ordered = [...steps.filter((step) => step.when === "before"), ...steps.filter((step) => step.when === "after")];
  return ordered.map((step, index) => `${index + 1}. [${step.when} the rebuild] ${step.what}${step.command ? `\n     $ ${step.command}` : ""}`);
}
