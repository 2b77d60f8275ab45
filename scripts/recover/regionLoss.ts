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
      what: "Database: run `pulumi up` once more: the promoted instance then gets automated backups and HA (Cloud SQL takes neither on a replica, so the promoting update cannot)",
      command: "pulumi up --stack <stack>",
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
      what: "Database: restore the replicated automated backups in backup.replicaRegion to their latest restorable time, then make the stack use that instance",
      command:
        "aws rds restore-db-instance-to-point-in-time --region <replica region> --source-db-instance-automated-backups-arn <replicated backups arn> " +
        "--use-latest-restorable-time --target-db-instance-identifier <new instance>",
      when: "before",
    },
    {
      what: "Gitpod's object storage (workspace content): point Gitpod at the replica bucket in backup.replicaRegion, if the cloud layer replicates it",
      when: "before",
    },
    { what: "Velero: reads the replica bucket through a read-only location (backup.failover does it); nothing to run", when: "before" },
    {
      what: "Identities: IAM is global, but each IRSA role trusts the lost cluster's OIDC issuer; the rebuild recreates the provider and the trust. Check no role still names the old issuer",
      command: "aws iam list-open-id-connect-providers",
      when: "after",
    },
    dnsStep,
  ],
  azure: [
    {
      what: "Database: geo-restore the server into the paired region (up to 1 h behind), then make the stack use it",
      command: "az mysql flexible-server geo-restore --resource-group <resource group> --name <new server> --source-server <server id> --location <paired region>",
      when: "before",
    },
    {
      what: "Gitpod's object storage (workspace content): fail the storage account over to the paired region (what was written after its last sync time is lost)",
      command: "az storage account failover --name <gitpod storage account> --resource-group <resource group>",
      when: "before",
    },
    { what: "Velero: reads the account's read-only secondary endpoint (backup.failover does it); nothing to run", when: "before" },
    {
      what:
        "Identities: user-assigned managed identities are regional resources of the lost region's resource group; the ones the new cluster uses must exist in the " +
        "paired region, with federated credentials to the new cluster's OIDC issuer (the cloud layer's failover)",
      when: "before",
    },
    dnsStep,
  ],
};

/** The manual steps of a cloud as numbered lines. */
export function regionLossLines(cloud: string): string[] {
  const steps = regionLossSteps[cloud];
  if (!steps) return [`cloud ${cloud}: the program places nothing in a region; rebuild the cluster elsewhere and recover it as a lost cluster`];
  return steps.map((step, index) => `${index + 1}. [${step.when} the rebuild] ${step.what}${step.command ? `\n     $ ${step.command}` : ""}`);
}
