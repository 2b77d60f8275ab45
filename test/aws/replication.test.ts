import { replicationPolicy, replicationRule } from "../../components/aws/replication";
import { Plan, PlannedResource } from "../../scripts/plan/run";
import { committedPlan, resourceNamed, resourcesOfType } from "../helpers";
import { json } from "./fixtures";

const CONFIG = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
const BUCKET = "aws:s3/bucket:Bucket";

describe("the aws-prod stack's cross-region replication", () => {
  let plan: Plan;
  let replicaProvider: string;
  const bucket = (name: string): PlannedResource => resourceNamed(plan, BUCKET, name);
  beforeAll(async () => {
    plan = await committedPlan("aws-prod");
    replicaProvider = resourceNamed(plan, "pulumi:providers:aws", "aws-prod-aws-replica").urn;
  });

  it("replicates Velero's backups and Gitpod's object storage (workspace content) into eu-central-1, the registry not", () => {
    const configs = resourcesOfType(plan, CONFIG);
    expect(configs.map((c) => c.name).sort()).toEqual(["aws-prod-replication-gitpod-objects", "aws-prod-replication-velero-backups"]);
    const objects = resourceNamed(plan, CONFIG, "aws-prod-replication-gitpod-objects");
    expect(objects.inputs.bucket).toBe("aws-prod-storage-objects-bucket-id");
    const [rule] = objects.inputs.rules as any[];
    expect(rule).toMatchObject({ id: "gitpod-objects", status: "Enabled", filter: {}, deleteMarkerReplication: { status: "Enabled" } });
    expect(rule.destination).toEqual({
      bucket: expect.stringMatching(/^arn:aws:s3:::gitpod-aws-prod-objects-replica-[0-9a-f]+$/),
      storageClass: "STANDARD",
      replicationTime: { status: "Enabled", time: { minutes: 15 } },
      metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
    });
    const replica = bucket("aws-prod-storage-objects-replica-bucket");
    expect(replica.provider).toBe(replicaProvider);
    expect(replica.options.protect).toBe(true);
    expect(resourcesOfType(plan, BUCKET).some((b) => String(b.inputs.bucketPrefix).includes("registry-replica"))).toBe(false);
  });

  it("makes each rule depend on its own buckets only (a policy per rule)", () => {
    const objects = resourceNamed(plan, CONFIG, "aws-prod-replication-gitpod-objects");
    const velero = resourceNamed(plan, CONFIG, "aws-prod-replication-velero-backups");
    expect(objects.dependencies.some((d) => d.includes("velero"))).toBe(false);
    expect(velero.dependencies.some((d) => d.includes("objects"))).toBe(false);
  });

  it("waits for versioning on both sides of each rule", () => {
    const versioningOf = (name: string) =>
      resourcesOfType(plan, "aws:s3/bucketVersioning:BucketVersioning").find((v) => v.dependencies.includes(bucket(name).urn))!.urn;
    const objects = resourceNamed(plan, CONFIG, "aws-prod-replication-gitpod-objects");
    expect(objects.dependencies).toEqual(
      expect.arrayContaining([versioningOf("aws-prod-storage-objects-bucket"), versioningOf("aws-prod-storage-objects-replica-bucket")]),
    );
    const velero = resourceNamed(plan, CONFIG, "aws-prod-replication-velero-backups");
    expect(velero.dependencies).toEqual(expect.arrayContaining([versioningOf("aws-prod-backup-bucket-bucket"), versioningOf("aws-prod-backup-replica-bucket")]));
  });

  it("uses a role with AWS's documented trust policy (S3, no conditions), allowed to read the sources and write the replicas only", () => {
    const role = resourceNamed(plan, "aws:iam/role:Role", "aws-prod-replication-role");
    expect(json(role, "assumeRolePolicy").Statement).toEqual([{ Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole" }]);
    for (const config of resourcesOfType(plan, CONFIG)) expect(config.inputs.role).toBe("arn:aws:iam::123456789012:role/aws-prod-replication-role");
    const policyOf = (id: string) => json(resourceNamed(plan, "aws:iam/rolePolicy:RolePolicy", `aws-prod-replication-${id}`), "policy").Statement;
    const [velero, objects] = [policyOf("velero-backups"), policyOf("gitpod-objects")];
    for (const statements of [velero, objects]) expect(statements.flatMap((s: any) => [s.Action].flat())).not.toContain("s3:*");
    expect(velero.find((s: any) => s.Sid.startsWith("Destination")).Resource).toMatch(/^arn:aws:s3:::gitpod-aws-prod-velero-replica-[0-9a-f]+\/\*$/);
    expect(objects.find((s: any) => s.Sid.startsWith("Destination")).Resource).toMatch(/^arn:aws:s3:::gitpod-aws-prod-objects-replica-[0-9a-f]+\/\*$/);
    // The locked Velero bucket's versions carry retention and legal hold, which the role must read to replicate them.
    const veleroObjects = velero.find((s: any) => s.Sid.startsWith("SourceObjects"));
    const gitpodObjects = objects.find((s: any) => s.Sid.startsWith("SourceObjects"));
    expect(veleroObjects.Action).toEqual(expect.arrayContaining(["s3:GetObjectRetention", "s3:GetObjectLegalHold"]));
    expect(gitpodObjects.Action).not.toContain("s3:GetObjectRetention");
  });

  it("alarms on failed and on late replication of each rule, from the RTC metrics in the source region", () => {
    const alarms = resourcesOfType(plan, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.inputs.namespace === "AWS/S3");
    expect(alarms.map((a) => `${(a.inputs.dimensions as any).RuleId} ${a.inputs.metricName}`).sort()).toEqual([
      "gitpod-objects OperationsFailedReplication",
      "gitpod-objects ReplicationLatency",
      "velero-backups OperationsFailedReplication",
      "velero-backups ReplicationLatency",
    ]);
    for (const alarm of alarms) {
      expect(alarm.provider).toBe(resourceNamed(plan, "pulumi:providers:aws", "aws-prod-aws").urn);
      expect(Object.keys(alarm.inputs.dimensions as object).sort()).toEqual(["DestinationBucket", "RuleId", "SourceBucket"]);
      expect(alarm.inputs.threshold).toBe(alarm.inputs.metricName === "ReplicationLatency" ? 900 : 0);
    }
  });

  it("lets Gitpod's object-storage key use the replica bucket too, so Gitpod can be pointed there after a region loss", () => {
    const policy = json(resourceNamed(plan, "aws:iam/userPolicy:UserPolicy", "aws-prod-storage-objects-policy"), "policy");
    expect(policy.Statement.find((s: any) => s.Sid === "Objects").Resource).toEqual([
      expect.stringMatching(/^arn:aws:s3:::gitpod-aws-prod-objects-[0-9a-f]+\/\*$/),
      expect.stringMatching(/^arn:aws:s3:::gitpod-aws-prod-objects-replica-[0-9a-f]+\/\*$/),
    ]);
  });
});

describe("replication policy and rule (pure)", () => {
  it("scopes every statement to its pair of buckets", () => {
    const policy = JSON.parse(replicationPolicy([{ source: "arn:aws:s3:::src", destination: "arn:aws:s3:::dst", objectLock: false }]));
    expect(policy.Statement.map((s: any) => s.Resource)).toEqual(["arn:aws:s3:::src", "arn:aws:s3:::src/*", "arn:aws:s3:::dst/*"]);
    expect(replicationRule("r", "arn:aws:s3:::dst")).toMatchObject({ id: "r", destination: { bucket: "arn:aws:s3:::dst", replicationTime: { time: { minutes: 15 } } } });
  });
});
