import { minimalAwsConfig, minimalAzureConfig, minimalGcpConfig } from "../helpers";
import { problemsOf } from "./validation";

/**
 * One case per rule derived from facts/ (config/validate), each with the value that breaks it and the words the
 * message must carry: the user's key, the value, what is allowed and, where one exists, the closest valid value.
 * The date is fixed (test/config/validation.ts) so the calendar cases do not age (test/config/calendar.test.ts checks today's defaults).
 */
const base = {
  gcp: minimalGcpConfig,
  aws: minimalAwsConfig,
  azure: minimalAzureConfig,
} as const;

type Cloud = keyof typeof base;
const azureSection = minimalAzureConfig.azure as Record<string, unknown>;

const on = (cloud: Cloud, overrides: Record<string, unknown>) => ({ ...base[cloud], ...overrides });

/** [kind, what breaks, config, words of the one expected problem] */
const badConfigs: [string, string, Record<string, unknown>, string[]][] = [
  // regions and zones
  ["region", "a GCP region typo", on("gcp", { gcp: { project: "my-gitpod-project", region: "europe-wset1" } }), ["gitpod-platform:gcp.region", '"europe-wset1"', "not a Google Cloud region", "closest valid value: europe-west1"]],
  ["region", "a well-formed unknown AWS region", on("aws", { aws: { region: "eu-west-9" } }), ["gitpod-platform:aws.region", '"eu-west-9"', "not an AWS region", "closest valid value: eu-west-"]],
  ["region", "an Azure location typo", on("azure", { azure: { ...azureSection, location: "westeurpe" } }), ["gitpod-platform:azure.location", '"westeurpe"', "not an Azure location", "closest valid value: westeurope"]],
  ["zone", "a GCP zone of another region", on("gcp", { gcp: { project: "my-gitpod-project", region: "europe-west1", zones: ["europe-west4-a"] } }), ["gitpod-platform:gcp.zones.0", "is a zone of europe-west4, not of gcp.region europe-west1", "europe-west1-b"]],
  ["zone", "a GCP zone letter the region lacks", on("gcp", { gcp: { project: "my-gitpod-project", region: "europe-west1", zones: ["europe-west1-a"] } }), ["gitpod-platform:gcp.zones.0", "not a zone of gcp.region europe-west1"]],
  ["zone", "an AWS zone of another region", on("aws", { aws: { region: "eu-west-1", availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-central-1a"] } }), ["gitpod-platform:aws.availabilityZones.2", "is a zone of eu-central-1, not of aws.region eu-west-1"]],
  ["zone", "Azure zones in a location without zones", on("azure", { azure: { ...azureSection, location: "northcentralus" }, backup: { replicaRegion: "southcentralus" } }), ["gitpod-platform:azure.cluster.zones", "must be [] in azure.location northcentralus"]],
  // machine types, disks, database tiers
  ["machine type", "an unknown GCP machine type", on("gcp", { nodePools: { services: { machineType: "n2d-standard-6" } } }), ["gitpod-platform:nodePools.services.machineType", '"n2d-standard-6"', "not a Compute Engine machine type", "closest valid value: n2d-standard-"]],
  ["machine type", "a GCP machine below Gitpod's minimum", on("gcp", { nodePools: { services: { machineType: "e2-standard-2" } } }), ["gitpod-platform:nodePools.services.machineType", "has 2 vCPU / 8 GB", "at least 4 vCPU and 16 GB"]],
  ["machine type", "an unknown EC2 instance type", on("aws", { nodePools: { services: { machineType: "m6i.xlargee" } } }), ["gitpod-platform:nodePools.services.machineType", "not an EC2 instance type", "closest valid value: m6i.xlarge"]],
  ["machine type", "an Arm EC2 instance type", on("aws", { nodePools: { regularWorkspaces: { machineType: "m7g.4xlarge" } } }), ["gitpod-platform:nodePools.regularWorkspaces.machineType", "Arm (Graviton)", "x86-64"]],
  ["machine type", "an EC2 type with too little memory", on("aws", { nodePools: { services: { machineType: "c6i.xlarge" } } }), ["gitpod-platform:nodePools.services.machineType", "has 4 vCPU / 8 GB"]],
  ["machine type", "an unknown Azure VM size", on("azure", { nodePools: { services: { machineType: "Standard_D3s_v5" } } }), ["gitpod-platform:nodePools.services.machineType", "not a VM size", "closest valid value: Standard_D"]],
  ["machine type", "an Azure VM size below Gitpod's minimum", on("azure", { nodePools: { services: { machineType: "Standard_D2s_v5" } } }), ["gitpod-platform:nodePools.services.machineType", "has 2 vCPU / 8 GB"]],
  ["disk type", "a persistent disk on a Hyperdisk-only GCP family", on("gcp", { nodePools: { services: { machineType: "n4-standard-8", diskType: "pd-ssd" } } }), ["gitpod-platform:nodePools.services.diskType", "not a boot disk type of n4-standard-8", "hyperdisk-balanced"]],
  ["disk type", "an unknown GCP disk type", on("gcp", { nodePools: { services: { diskType: "pd-sdd" } } }), ["gitpod-platform:nodePools.services.diskType", "closest valid value: pd-ssd"]],
  ["disk type", "an unknown AKS OS disk type", on("azure", { nodePools: { services: { diskType: "Premium" } } }), ["gitpod-platform:nodePools.services.diskType", "must be an AKS OS disk type: Managed, Ephemeral"]],
  ["database tier", "a Cloud SQL custom tier with an odd vCPU count", on("gcp", { database: { machineType: "db-custom-3-7680" } }), ["gitpod-platform:database.machineType", "has 3 vCPUs", "1 or an even number"]],
  ["database tier", "a Cloud SQL custom tier with too much memory per vCPU", on("gcp", { database: { machineType: "db-custom-2-15360" } }), ["gitpod-platform:database.machineType", "7.50 GB per vCPU", "closest valid value: db-custom-2-13312"]],
  ["database tier", "a Cloud SQL tier of another shape", on("gcp", { database: { machineType: "db-standard-2" } }), ["gitpod-platform:database.machineType", "not a Cloud SQL tier"]],
  ["database tier", "an unknown RDS instance class", on("aws", { database: { machineType: "db.m6i.huge" } }), ["gitpod-platform:database.machineType", "not an RDS for MySQL instance class", "closest valid value: db.m6i."]],
  ["database tier", "an unknown Azure MySQL SKU", on("azure", { database: { machineType: "Standard_D2ds_v9" } }), ["gitpod-platform:database.machineType", "not an Azure Database for MySQL Flexible Server SKU", "closest valid value: Standard_D2ds_v4"]],
  // the calendar
  ["version", "GKE 1.33 without extended support", on("gcp", { cluster: { kubernetesVersion: "1.33" } }), ["gitpod-platform:cluster.kubernetesVersion", '"1.33"', "ended GKE standard support on 2026-08-03", "use 1.35", "cluster.supportPlan: extended"]],
  ["version", "EKS 1.33 without extended support", on("aws", { cluster: { kubernetesVersion: "1.33" } }), ["gitpod-platform:cluster.kubernetesVersion", '"1.33"', "ended EKS standard support on 2026-07-29"]],
  ["version", "AKS 1.33 without LTS", on("azure", { cluster: { kubernetesVersion: "1.33" } }), ["gitpod-platform:cluster.kubernetesVersion", "ended AKS standard support", "AKS Long Term Support on the Premium tier"]],
  ["version", "a version GKE does not offer", on("gcp", { cluster: { kubernetesVersion: "1.29" } }), ["gitpod-platform:cluster.kubernetesVersion", "is not offered by GKE", "1.35"]],
  ["version", "MySQL 8.0 on RDS without extended support", on("aws", { database: { supportPlan: "standard" } }), ["gitpod-platform:database.version", '"8.0" (the default)', "ended RDS standard support on 2026-08-01", "database.supportPlan: extended"]],
  ["version", "MySQL 5.7 on Cloud SQL without extended support", on("gcp", { database: { version: "5.7", supportPlan: "standard" } }), ["gitpod-platform:database.version", '"5.7"', "ended Cloud SQL standard support on 2025-02-01"]],
  // networks
  ["network", "a GCP range with host bits set", on("gcp", { gcp: { project: "my-gitpod-project", region: "europe-west1", network: { nodesCidr: "10.0.0.1/20" } } }), ["gitpod-platform:gcp.network.nodesCidr", "has host bits set", "write 10.0.0.0/20"]],
  ["network", "GCP pods overlapping the nodes", on("gcp", { gcp: { project: "my-gitpod-project", region: "europe-west1", network: { podsCidr: "10.0.0.0/14" } } }), ["gitpod-platform:gcp.network.podsCidr", "must not overlap gcp.network.nodesCidr (10.0.0.0/20)"]],
  ["network", "a GKE control-plane range that is not a /28", on("gcp", { gcp: { project: "my-gitpod-project", region: "europe-west1", network: { masterCidr: "172.16.0.0/27" } } }), ["gitpod-platform:gcp.network.masterCidr", "must be a /28"]],
  ["network", "a GKE pod range too small for the pools", on("gcp", { gcp: { project: "my-gitpod-project", region: "europe-west1", network: { podsCidr: "10.16.0.0/22" } } }), ["gitpod-platform:gcp.network.podsCidr", "fits 4 nodes", "add up to 104", "/17 or larger"]],
  ["network", "a GKE node subnet too small for the pools", on("gcp", { gcp: { project: "my-gitpod-project", region: "europe-west1", network: { nodesCidr: "10.0.0.0/26" } } }), ["gitpod-platform:gcp.network.nodesCidr", "has 60 usable addresses", "add up to 104"]],
  ["network", "an AKS pod range too small for the pools", on("azure", { azure: { ...azureSection, network: { podCidr: "10.244.0.0/22" } } }), ["gitpod-platform:azure.network.podCidr", "fits 4 nodes"]],
  ["network", "an AWS VPC range with host bits set", on("aws", { aws: { region: "eu-west-1", network: { vpcCidr: "10.0.0.1/16" } } }), ["gitpod-platform:aws.network.vpcCidr", "has host bits set"]],
  // the Velero schedule
  ["cron", "a schedule with four fields", on("gcp", { backup: { replicaRegion: "europe-west4", schedule: "0 */6 * *" } }), ["gitpod-platform:backup.schedule", "has 4 fields", "five"]],
  ["cron", "minute 61", on("gcp", { backup: { replicaRegion: "europe-west4", schedule: "61 * * * *" } }), ["gitpod-platform:backup.schedule", 'minute field "61"', "0-59"]],
  ["cron", "hour 24", on("gcp", { backup: { replicaRegion: "europe-west4", schedule: "0 24 * * *" } }), ['hour field "24"', "0-23"]],
  ["cron", "day of month 0", on("gcp", { backup: { replicaRegion: "europe-west4", schedule: "0 0 0 * *" } }), ['day of month field "0"', "1-31"]],
  ["cron", "month 13", on("gcp", { backup: { replicaRegion: "europe-west4", schedule: "0 0 * 13 *" } }), ['month field "13"', "1-12 or JAN-DEC"]],
  ["cron", "day of week 7", on("gcp", { backup: { replicaRegion: "europe-west4", schedule: "0 0 * * 7" } }), ['day of week field "7"', "0-6 or SUN-SAT"]],
  ["cron", "a zero step", on("gcp", { backup: { replicaRegion: "europe-west4", schedule: "*/0 * * * *" } }), ['minute field "*/0"', "step"]],
  ["cron", "a backwards range", on("gcp", { backup: { replicaRegion: "europe-west4", schedule: "0 5-1 * * *" } }), ['hour field "5-1"', "backwards"]],
  ["cron", "an unknown descriptor", on("gcp", { backup: { replicaRegion: "europe-west4", schedule: "@fortnightly" } }), ["gitpod-platform:backup.schedule", "not a cron descriptor"]],
  // the policy pack's minimums
  ["retention", "3 days of database backups in production", on("gcp", { database: { backupRetentionDays: 3 } }), ["gitpod-platform:database.backupRetentionDays", "= 3", "at least 7 in production", "database-backups"]],
  ["retention", "Velero backups kept 24 hours in production", on("gcp", { backup: { replicaRegion: "europe-west4", ttlHours: 24 } }), ["gitpod-platform:backup.ttlHours", "= 24", "at least 168 in production", "velero-backup-retention"]],
  // Kubernetes quantities
  ["quantity", "a workspace memory limit below its request", on("gcp", { gitpod: { workspace: { requests: { memory: "4Gi" }, limits: { memory: "2048Mi" } } } }), ["gitpod-platform:gitpod.workspace.limits.memory", '"2048Mi"', "at least gitpod.workspace.requests.memory (4Gi)"]],
];

describe.each(badConfigs)("%s: %s", (_kind, _what, config, words) => {
  it("is refused with one message naming the key, the value and what is allowed", () => {
    const problems = problemsOf(config);
    expect(problems).toHaveLength(1);
    for (const word of words) expect(problems[0]).toContain(word);
  });
});

describe("configs the same rules accept", () => {
  it.each([
    ["GKE 1.33 on the paid Extended channel", on("gcp", { cluster: { kubernetesVersion: "1.33", supportPlan: "extended" } })],
    ["a custom GCP machine type of 4 vCPU / 16 GB", on("gcp", { nodePools: { services: { machineType: "n2d-custom-4-16384" } } })],
    ["a Velero @every descriptor", on("gcp", { backup: { replicaRegion: "europe-west4", schedule: "@every 6h" } })],
    ["named months and days", on("gcp", { backup: { replicaRegion: "europe-west4", schedule: "30 2 1-7 JAN,JUL SUN" } })],
    ["3 days of database backups in development", { ...on("gcp", { database: { backupRetentionDays: 3 } }), environment: "development", backup: {} }],
    ["a workspace memory limit above its request", on("gcp", { gitpod: { workspace: { requests: { memory: "2Gi" }, limits: { memory: "8Gi" } } } })],
  ])("%s", (_what, config) => {
    expect(problemsOf(config)).toEqual([]);
  });

  it("names the Azure location, not backup.replicaRegion, when the location is a typo", () => {
    const problems = problemsOf(on("azure", { azure: { ...azureSection, location: "westeurpe" } }));
    expect(problems.join("\n")).not.toContain("backup.replicaRegion");
  });
});
