import { nodeCapacity } from "../../config/aws";
import { cidrsOverlap } from "../../config/cidr";
import { bucketLockOf } from "../../config/backupLock";
import { ConfigError, parseStackConfig } from "../../config";
import { configValues } from "../helpers";
import { awsConfig } from "./fixtures";

const validAws = {
  cloud: "aws",
  environment: "production",
  domain: "gitpod.example.com",
  aws: { region: "eu-west-1" },
  certificates: { acmeEmail: "ops@example.com" },
};

function problemsOf(aws: Record<string, unknown>): string[] {
  try {
    parseStackConfig(configValues({ ...validAws, aws: { region: "eu-west-1", ...aws } }));
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error("expected the config to be rejected");
}

describe("aws config", () => {
  it("fills the AWS reference architecture's defaults", () => {
    const config = awsConfig();
    expect(config.nodePools.services).toEqual({ machineType: "m6i.xlarge", diskSizeGb: 100, diskType: "gp3", minNodes: 1, maxNodes: 4 });
    expect(config.nodePools.regularWorkspaces).toEqual({ machineType: "m6i.4xlarge", diskSizeGb: 512, diskType: "gp3", minNodes: 1, maxNodes: 50 });
    expect(config.database).toMatchObject({ version: "8.0", machineType: "db.m6i.large", highAvailability: true });
    expect(config.aws.network).toEqual({ vpcCidr: "10.0.0.0/16", serviceCidr: "172.20.0.0/16", apiPublicAccessCidrs: ["0.0.0.0/0"] });
    expect(config.aws.nodeImage).toEqual({ ubuntuRelease: "24.04", serial: "current" });
    expect(config.aws.controlPlaneLogs).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
    expect(config.aws.controlPlaneLogRetentionDays).toBe(90);
    expect(config.aws.accessEntries).toEqual([]);
    expect(config.aws.alarmActions).toEqual([]);
    expect(bucketLockOf(config.backup)).toEqual({ mode: "governance", days: 30 });
  });

  it("takes Velero's bucket lock from backup.lockDays and backup.lockMode: production only by default, for the backups' TTL", () => {
    expect(bucketLockOf(awsConfig({ environment: "development" }).backup)).toBeUndefined();
    expect(bucketLockOf(awsConfig({ backup: { replicaRegion: "eu-central-1", ttlHours: 2160 } }).backup)).toEqual({ mode: "governance", days: 90 });
    expect(bucketLockOf(awsConfig({ backup: { replicaRegion: "eu-central-1", lockMode: "compliance", lockDays: 60 } }).backup)).toEqual({ mode: "compliance", days: 60 });
    expect(bucketLockOf(awsConfig({ backup: { replicaRegion: "eu-central-1", lockDays: 0 } }).backup)).toBeUndefined();
  });

  it("defaults an access entry to cluster-admin over the whole cluster", () => {
    const config = awsConfig({ aws: { region: "eu-west-1", accessEntries: [{ principalArn: "arn:aws:iam::123456789012:role/admins" }] } });
    expect(config.aws.accessEntries).toEqual([{ principalArn: "arn:aws:iam::123456789012:role/admins", policy: "cluster-admin", namespaces: [] }]);
  });

  it("counts how many 110-pod nodes the VPC's private subnets hold under prefix delegation", () => {
    expect(nodeCapacity("10.0.0.0/16")).toBe(168);
    expect(nodeCapacity("10.0.0.0/17")).toBe(84);
    expect(nodeCapacity("10.0.0.0/20")).toBe(9);
  });

  const cases: [string, Record<string, unknown>, string[]][] = [
    ["a GCP region", { region: "europe-west1" }, ["gitpod-platform:aws.region", "AWS region"]],
    ["two zones", { availabilityZones: ["eu-west-1a", "eu-west-1b"] }, ["gitpod-platform:aws.availabilityZones", "exactly three"]],
    ["a zone that is not a zone", { availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1"] }, ["gitpod-platform:aws.availabilityZones.2", "availability zone"]],
    ["a VPC too large", { network: { vpcCidr: "10.0.0.0/8" } }, ["gitpod-platform:aws.network.vpcCidr", "/16 to /20"]],
    ["a VPC too small", { network: { vpcCidr: "10.0.0.0/24" } }, ["gitpod-platform:aws.network.vpcCidr", "/16 to /20"]],
    ["a service CIDR inside the VPC", { network: { vpcCidr: "10.0.0.0/16", serviceCidr: "10.0.128.0/20" } }, ["gitpod-platform:aws.network.serviceCidr", "overlap"]],
    ["an unknown NAT mode", { network: { natGateways: "none" } }, ["gitpod-platform:aws.network.natGateways", "perZone"]],
    ["an unknown network key", { network: { podCidr: "10.1.0.0/16" } }, ["gitpod-platform:aws.network.podCidr: unknown key", "vpcCidr"]],
    ["both an AMI id and an SSM parameter", { nodeImage: { amiId: "ami-0123456789abcdef0", ssmParameter: "/my/ami" } }, ["gitpod-platform:aws.nodeImage.amiId", "not both"]],
    ["a malformed AMI id", { nodeImage: { amiId: "ubuntu-24.04" } }, ["gitpod-platform:aws.nodeImage.amiId", "AMI id"]],
    ["an Ubuntu release without EKS images", { nodeImage: { ubuntuRelease: "20.04" } }, ["gitpod-platform:aws.nodeImage.ubuntuRelease", "24.04"]],
    ["a malformed serial", { nodeImage: { serial: "latest" } }, ["gitpod-platform:aws.nodeImage.serial", "current"]],
    ["an access entry that is not an IAM ARN", { accessEntries: [{ principalArn: "admins" }] }, ["gitpod-platform:aws.accessEntries.0.principalArn", "IAM role or user"]],
    ["an unknown access policy", { accessEntries: [{ principalArn: "arn:aws:iam::123456789012:role/a", policy: "root" }] }, ["gitpod-platform:aws.accessEntries.0.policy", "cluster-admin"]],
    ["an unknown log type", { controlPlaneLogs: ["api", "kubelet"] }, ["gitpod-platform:aws.controlPlaneLogs.1", "audit"]],
    ["a retention CloudWatch does not offer", { controlPlaneLogRetentionDays: 42 }, ["gitpod-platform:aws.controlPlaneLogRetentionDays = 42", "365"]],
    ["the ECR image mirror, which Gitpod's registry-facade cannot pull from", { imageMirror: { images: ["server"] } }, ["gitpod-platform:aws.imageMirror: unknown key"]],
    ["a service CIDR outside the private ranges", { network: { serviceCidr: "100.64.0.0/16" } }, ["gitpod-platform:aws.network.serviceCidr", "10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16"]],
    ["a VPC too small for the node pools", { network: { vpcCidr: "10.0.0.0/20" } }, ["gitpod-platform:aws.network.vpcCidr", "room for about 9 nodes", "grow to 104"]],
    ["the retired aws.backupLock (backup.lockDays and backup.lockMode now)", { backupLock: { mode: "governance", days: 30 } }, ["gitpod-platform:aws.backupLock: unknown key"]],
    [
      "the same principal twice",
      { accessEntries: [{ principalArn: "arn:aws:iam::123456789012:role/a" }, { principalArn: "arn:aws:iam::123456789012:role/a", policy: "view" }] },
      ["gitpod-platform:aws.accessEntries", "each principalArn once"],
    ],
    ["an existing bucket that is not a bucket name", { objectStorage: { existingBucket: "s3://gitpod" } }, ["gitpod-platform:aws.objectStorage.existingBucket", "S3 bucket name"]],
    ["an alarm action that is not an SNS topic", { alarmActions: ["ops@example.com"] }, ["gitpod-platform:aws.alarmActions.0", "SNS topic ARN"]],
    ["a replica region in the aws section (it is backup.replicaRegion now)", { replicaRegion: "eu-central-1" }, ["gitpod-platform:aws.replicaRegion: unknown key"]],
  ];

  it.each(cases)("rejects %s", (_title, aws, fragments) => {
    const message = problemsOf(aws).join("\n");
    for (const fragment of fragments) expect(message).toContain(fragment);
  });

  it.each([
    ["a GCP disk type", { nodePools: { regularWorkspaces: { diskType: "pd-ssd" } } }, ["gitpod-platform:nodePools.regularWorkspaces.diskType = \"pd-ssd\"", "gp3"]],
    ["a GCP machine type", { nodePools: { services: { machineType: "n2d-standard-4" } } }, ["gitpod-platform:nodePools.services.machineType", "EC2 instance type"]],
    ["a Cloud SQL tier", { database: { machineType: "db-custom-2-7680" } }, ["gitpod-platform:database.machineType", "RDS instance class"]],
    ["a Kubernetes patch version (EKS takes a minor)", { cluster: { kubernetesVersion: "1.35.2" } }, ["gitpod-platform:cluster.kubernetesVersion", "minor version such as 1.35"]],
  ])("rejects %s in an AWS stack", (_title, shared, fragments) => {
    let message = "";
    try {
      awsConfig(shared);
    } catch (err) {
      message = err instanceof ConfigError ? err.problems.join("\n") : String(err);
    }
    for (const fragment of fragments) expect(message).toContain(fragment);
  });

  it("accepts other EC2 families, io2 disks and burstable RDS classes", () => {
    const config = awsConfig({ nodePools: { headlessWorkspaces: { machineType: "c7i.8xlarge", diskType: "io2" } }, database: { machineType: "db.t4g.medium" } });
    expect(config.nodePools.headlessWorkspaces).toMatchObject({ machineType: "c7i.8xlarge", diskType: "io2" });
    expect(config.database.machineType).toBe("db.t4g.medium");
  });

  it("keeps the backup retention within what RDS allows (35 days)", () => {
    expect(() => awsConfig({ database: { backupRetentionDays: 36 } })).toThrow(/gitpod-platform:database.backupRetentionDays/);
    expect(awsConfig({ database: { backupRetentionDays: 35 } }).database.backupRetentionDays).toBe(35);
  });

  it("detects overlapping CIDR blocks", () => {
    expect(cidrsOverlap("10.0.0.0/16", "10.0.255.0/24")).toBe(true);
    expect(cidrsOverlap("10.0.0.0/16", "10.1.0.0/16")).toBe(false);
    expect(cidrsOverlap("172.20.0.0/16", "10.0.0.0/8")).toBe(false);
  });
});
