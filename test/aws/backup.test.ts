import * as aws from "@pulumi/aws";
import { AwsBackup, replicationPolicy, replicationRule, replicationTrustPolicy, veleroBucketPolicy } from "../../components/aws/backup";
import { BackupTarget } from "../../components/platform";
import { veleroPlugins } from "../../components/veleroPlugins";
import { parseStackConfig } from "../../config";
import { Plan, PlannedResource } from "../../scripts/plan/run";
import { readStackFile } from "../../scripts/plan/stackFile";
import { committedPlan, configValues, onlyResource, resourceNamed, resourcesOfType, valueOf } from "../helpers";
import { json, planComponent } from "./fixtures";

const account = "123456789012";

async function planBackup(options: { replicaRegion?: string; protect?: boolean } = {}): Promise<{ plan: Plan; target: BackupTarget }> {
  let target: BackupTarget | undefined;
  const plan = await planComponent(() => {
    const primary = new aws.Provider("primary", { region: "eu-west-1" });
    const replica = options.replicaRegion ? new aws.Provider("replica", { region: options.replicaRegion }) : undefined;
    const veleroRole = new aws.iam.Role("velero", { assumeRolePolicy: "{}" }, { provider: primary });
    const backup = new AwsBackup(
      "b",
      {
        namePrefix: "gitpod-test",
        region: "eu-west-1",
        replicaRegion: options.replicaRegion,
        replicaProvider: replica,
        accountId: account,
        noncurrentVersionDays: 45,
        veleroRole,
        databaseArn: "arn:aws:rds:eu-west-1:123456789012:db:gitpod",
        databaseRetentionDays: 14,
        protect: options.protect ?? true,
      },
      { provider: primary },
    );
    target = backup.target;
  });
  return { plan, target: target! };
}

const providerNamed = (plan: Plan, name: string) => resourceNamed(plan, "pulumi:providers:aws", name).urn;
const onBucket = (plan: Plan, type: string, bucket: PlannedResource) =>
  resourcesOfType(plan, type).filter((r) => r.dependencies.includes(bucket.urn));

describe("AWS backup (production, with a replica region)", () => {
  let plan: Plan;
  let target: BackupTarget;
  let source: PlannedResource;
  let replica: PlannedResource;
  beforeAll(async () => {
    ({ plan, target } = await planBackup({ replicaRegion: "eu-central-1" }));
    source = resourceNamed(plan, "aws:s3/bucket:Bucket", "b-bucket-bucket");
    replica = resourceNamed(plan, "aws:s3/bucket:Bucket", "b-replica-bucket");
  });

  it("puts the backup bucket in the stack's region and its replica in the replica region, both protected", () => {
    expect(source.provider).toBe(providerNamed(plan, "primary"));
    expect(replica.provider).toBe(providerNamed(plan, "replica"));
    expect(source.inputs.bucketPrefix).toBe("gitpod-test-velero-");
    expect(replica.inputs.bucketPrefix).toBe("gitpod-test-velero-replica-");
    expect(source.options.protect).toBe(true);
    expect(replica.options.protect).toBe(true);
  });

  it("versions, encrypts, blocks public access and expires noncurrent versions on both buckets, destination included", () => {
    for (const bucket of [source, replica]) {
      const [versioning] = onBucket(plan, "aws:s3/bucketVersioning:BucketVersioning", bucket);
      expect(versioning.inputs.versioningConfiguration).toEqual({ status: "Enabled" });
      const [encryption] = onBucket(plan, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", bucket);
      expect((encryption.inputs.rules as any)[0].applyServerSideEncryptionByDefault).toEqual({ sseAlgorithm: "AES256" });
      const [block] = onBucket(plan, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", bucket);
      expect(block.inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
      const [lifecycle] = onBucket(plan, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", bucket);
      expect((lifecycle.inputs.rules as any)[0].noncurrentVersionExpiration).toEqual({ noncurrentDays: 45 });
    }
  });

  it("replicates every object and delete marker to the replica bucket under Replication Time Control (15 minutes) with metrics", () => {
    const replication = onlyResource(plan, "aws:s3/bucketReplicationConfig:BucketReplicationConfig");
    expect(replication.inputs.bucket).toBe("b-bucket-bucket-id");
    const [rule] = replication.inputs.rules as any[];
    expect(rule).toMatchObject({ status: "Enabled", filter: {}, deleteMarkerReplication: { status: "Enabled" } });
    expect(rule.destination).toEqual({
      bucket: expect.stringMatching(/^arn:aws:s3:::gitpod-test-velero-replica-[0-9a-f]+$/),
      storageClass: "STANDARD",
      replicationTime: { status: "Enabled", time: { minutes: 15 } },
      metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
    });
    expect(rule.destination.bucket).toMatch(/^arn:aws:s3:::gitpod-test-velero-replica-/);
    // Replication waits for versioning on both buckets.
    const versionings = [source, replica].flatMap((b) => onBucket(plan, "aws:s3/bucketVersioning:BucketVersioning", b)).map((v) => v.urn);
    expect(replication.dependencies).toEqual(expect.arrayContaining(versionings));
  });

  it("replicates with a role only S3 of this account may assume, allowed to read the source and write the destination only", () => {
    const role = resourceNamed(plan, "aws:iam/role:Role", "b-replication");
    expect(json(role, "assumeRolePolicy").Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": account } } },
    ]);
    const replication = onlyResource(plan, "aws:s3/bucketReplicationConfig:BucketReplicationConfig");
    expect(replication.inputs.role).toBe("arn:aws:iam::123456789012:role/b-replication");
    const policy = json(resourceNamed(plan, "aws:iam/rolePolicy:RolePolicy", "b-replication"), "policy");
    const sourceArn = `arn:aws:s3:::${(resourceNamed(plan, "aws:s3/bucket:Bucket", "b-bucket-bucket").inputs.bucketPrefix as string)}`;
    const resources = policy.Statement.flatMap((s: any) => [s.Resource].flat());
    for (const resource of resources) expect(resource).toMatch(/^arn:aws:s3:::gitpod-test-velero-/);
    expect(policy.Statement.find((s: any) => s.Sid === "DestinationObjects").Resource).toMatch(/^arn:aws:s3:::gitpod-test-velero-replica-.*\/\*$/);
    expect(policy.Statement.find((s: any) => s.Sid === "SourceBucket").Resource.startsWith(sourceArn)).toBe(true);
    expect(policy.Statement.flatMap((s: any) => [s.Action].flat())).not.toContain("s3:*");
  });

  it("gives Velero's role the plugin's S3 actions on the backup bucket only", () => {
    const grant = resourceNamed(plan, "aws:iam/rolePolicy:RolePolicy", "b-velero-bucket");
    expect(grant.inputs.role).toBe("velero");
    const statements = json(grant, "policy").Statement;
    const bucketArn = statements.find((s: any) => s.Sid === "BackupBucket").Resource;
    expect(bucketArn).toMatch(/^arn:aws:s3:::gitpod-test-velero-[0-9a-f]+$/);
    expect(statements).toEqual([
      {
        Sid: "BackupObjects",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:DeleteObject", "s3:PutObject", "s3:PutObjectTagging", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
        Resource: `${bucketArn}/*`,
      },
      { Sid: "BackupBucket", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
    ]);
  });

  it("replicates RDS automated backups to the replica region with the instance's retention, under a key of that region, protected", () => {
    const replication = onlyResource(plan, "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication");
    expect(replication.provider).toBe(providerNamed(plan, "replica"));
    expect(replication.inputs).toMatchObject({ sourceDbInstanceArn: "arn:aws:rds:eu-west-1:123456789012:db:gitpod", retentionPeriod: 14 });
    const key = resourceNamed(plan, "aws:kms/key:Key", "b-db-key");
    expect(key.provider).toBe(providerNamed(plan, "replica"));
    expect(key.inputs).toMatchObject({ enableKeyRotation: true });
    expect(replication.dependencies).toContain(key.urn);
    expect(replication.options.protect).toBe(true);
    expect(key.options.protect).toBe(true);
  });

  it("hands Velero the AWS provider, the pinned plugin, the bucket and the region", async () => {
    expect(target.provider).toBe("velero.io/aws");
    expect(target.pluginImage).toBe(`${veleroPlugins.aws.repository}:${veleroPlugins.aws.tag}`);
    expect(await valueOf(target.bucket)).toMatch(/^gitpod-test-velero-[0-9a-f]+$/);
    expect(await valueOf(target.config)).toEqual({ region: "eu-west-1" });
    expect(await valueOf(target.snapshotConfig)).toEqual({ region: "eu-west-1" });
    expect(target.credentialsFile).toBeUndefined();
  });

  it("offers the replica bucket as a read-only location in the replica region, which Velero may read and not write", async () => {
    expect(await valueOf(target.replica!.bucket)).toMatch(/^gitpod-test-velero-replica-[0-9a-f]+$/);
    expect(await valueOf(target.replica!.config)).toEqual({ region: "eu-central-1" });
    const grant = resourceNamed(plan, "aws:iam/rolePolicy:RolePolicy", "b-velero-replica");
    expect(grant.inputs.role).toBe("velero");
    const statements = json(grant, "policy").Statement;
    expect(statements.flatMap((s: any) => [s.Action].flat()).sort()).toEqual(["s3:GetObject", "s3:ListBucket"]);
    for (const s of statements) expect([s.Resource].flat().every((r: string) => r.startsWith("arn:aws:s3:::gitpod-test-velero-replica-"))).toBe(true);
  });
});

describe("AWS backup without a replica region (development)", () => {
  it("has the bucket only, unprotected, and no replication", async () => {
    const { plan, target } = await planBackup({ protect: false });
    expect(target.replica).toBeUndefined();
    expect(resourcesOfType(plan, "aws:s3/bucket:Bucket").map((b) => [b.name, b.options.protect])).toEqual([["b-bucket-bucket", false]]);
    expect(resourcesOfType(plan, "aws:s3/bucketReplicationConfig:BucketReplicationConfig")).toEqual([]);
    expect(resourcesOfType(plan, "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication")).toEqual([]);
    expect(resourcesOfType(plan, "aws:iam/rolePolicy:RolePolicy").map((p) => p.name)).toEqual(["b-velero-bucket"]);
  });
});

describe("AWS backup policies (pure)", () => {
  it("scopes every statement to the named buckets", () => {
    expect(JSON.parse(veleroBucketPolicy("arn:aws:s3:::b")).Statement.map((s: any) => s.Resource)).toEqual(["arn:aws:s3:::b/*", "arn:aws:s3:::b"]);
    expect(JSON.parse(replicationPolicy("arn:aws:s3:::src", "arn:aws:s3:::dst")).Statement.map((s: any) => s.Resource)).toEqual([
      "arn:aws:s3:::src",
      "arn:aws:s3:::src/*",
      "arn:aws:s3:::dst/*",
    ]);
    expect(JSON.parse(replicationTrustPolicy("111122223333")).Statement[0].Condition).toEqual({ StringEquals: { "aws:SourceAccount": "111122223333" } });
    expect(replicationRule("arn:aws:s3:::dst").destination).toMatchObject({ bucket: "arn:aws:s3:::dst", replicationTime: { time: { minutes: 15 } } });
  });
});

describe("the aws-prod stack's backup", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await committedPlan("aws-prod");
  });

  it("replicates the backup bucket and the RDS automated backups to eu-central-1 (backup.replicaRegion), all protected", () => {
    const replicaProvider = resourceNamed(plan, "pulumi:providers:aws", "aws-prod-aws-replica");
    expect(replicaProvider.inputs.region).toBe("eu-central-1");
    const replicaBucket = resourceNamed(plan, "aws:s3/bucket:Bucket", "aws-prod-backup-replica-bucket");
    expect(replicaBucket.provider).toBe(replicaProvider.urn);
    expect(replicaBucket.options.protect).toBe(true);
    expect(resourceNamed(plan, "aws:s3/bucket:Bucket", "aws-prod-backup-bucket-bucket").options.protect).toBe(true);
    const rds = onlyResource(plan, "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication");
    expect(rds.provider).toBe(replicaProvider.urn);
    expect(rds.inputs.retentionPeriod).toBe(14);
    expect(rds.options.protect).toBe(true);
    expect(onlyResource(plan, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").inputs.rules).toHaveLength(1);
  });

  it("adds the bucket grant to Velero's IRSA role", () => {
    const grant = resourceNamed(plan, "aws:iam/rolePolicy:RolePolicy", "aws-prod-backup-velero-bucket");
    const veleroRole = resourcesOfType(plan, "aws:iam/role:Role").find((r) => r.name === "aws-prod-identity-velero-role");
    expect(veleroRole).toBeDefined();
    expect(grant.dependencies).toContain(veleroRole!.urn);
  });

  it("rejects a replica region that equals the stack's region, and the retired aws.replicaRegion key", () => {
    const { values } = readStackFile("aws-prod");
    expect(() => parseStackConfig({ ...values, ...configValues({ backup: { replicaRegion: "eu-west-1" } }) })).toThrow(
      'gitpod-platform:backup.replicaRegion = "eu-west-1": must differ from aws.region (eu-west-1)',
    );
    const withOldKey = configValues({ aws: { region: "eu-west-1", replicaRegion: "eu-central-1" } });
    expect(() => parseStackConfig({ ...values, ...withOldKey })).toThrow("gitpod-platform:aws.replicaRegion: unknown key");
  });
});
