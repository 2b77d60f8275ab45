import * as aws from "../../providers/sdk/aws";
import { AwsBackup, veleroBucketPolicy } from "../../components/aws/backup";
import { BackupTarget } from "../../components/platform";
import { veleroPlugins } from "../../components/veleroPlugins";
import { parseStackConfig } from "../../config";
import { Plan, PlannedResource } from "../../scripts/plan/run";
import { readStackFile } from "../../scripts/plan/stackFile";
import { committedPlan, configValues, onlyResource, resourceNamed, resourcesOfType, valueOf } from "../helpers";
import { json, planComponent } from "./fixtures";

type Lock = { mode: "governance" | "compliance"; days: number } | null;

async function planBackup(options: { replicaRegion?: string; protect?: boolean; objectLock?: Lock } = {}): Promise<{ plan: Plan; target: BackupTarget }> {
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
        noncurrentVersionDays: 45,
        veleroRole,
        databaseArn: "arn:aws:rds:eu-west-1:123456789012:db:gitpod",
        databaseRetentionDays: 14,
        protect: options.protect ?? true,
        objectLock: options.objectLock === null ? undefined : (options.objectLock ?? { mode: "governance", days: 30 }),
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

  it("locks every new backup version in both buckets (S3 Object Lock, governance, 30 days), the replica too", () => {
    for (const bucket of [source, replica]) {
      expect(bucket.inputs.objectLockEnabled).toBe(true);
      const [lock] = onBucket(plan, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", bucket);
      expect(lock.inputs.rule).toEqual({ defaultRetention: { mode: "GOVERNANCE", days: 30 } });
      // Object Lock needs versioning first.
      const [versioning] = onBucket(plan, "aws:s3/bucketVersioning:BucketVersioning", bucket);
      expect(lock.dependencies).toContain(versioning.urn);
    }
  });

  it("lets lifecycle remove delete markers left without versions", () => {
    for (const bucket of [source, replica]) {
      const [lifecycle] = onBucket(plan, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", bucket);
      expect((lifecycle.inputs.rules as any)[0].expiration).toEqual({ expiredObjectDeleteMarker: true });
    }
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
  it("has the bucket only, unprotected, unlocked, and no replication", async () => {
    const { plan, target } = await planBackup({ protect: false, objectLock: null });
    expect(resourcesOfType(plan, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration")).toEqual([]);
    expect(onlyResource(plan, "aws:s3/bucket:Bucket").inputs.objectLockEnabled).toBe(false);
    expect(target.replica).toBeUndefined();
    expect(resourcesOfType(plan, "aws:s3/bucket:Bucket").map((b) => [b.name, b.options.protect])).toEqual([["b-bucket-bucket", false]]);
    expect(resourcesOfType(plan, "aws:s3/bucketReplicationConfig:BucketReplicationConfig")).toEqual([]);
    expect(resourcesOfType(plan, "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication")).toEqual([]);
    expect(resourcesOfType(plan, "aws:iam/rolePolicy:RolePolicy").map((p) => p.name)).toEqual(["b-velero-bucket"]);
  });
});

describe("AWS backup policies (pure)", () => {
  it("scopes every statement to the named bucket", () => {
    expect(JSON.parse(veleroBucketPolicy("arn:aws:s3:::b")).Statement.map((s: any) => s.Resource)).toEqual(["arn:aws:s3:::b/*", "arn:aws:s3:::b"]);
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
  });

  it("locks Velero's buckets in governance mode for the backups' 30-day TTL", () => {
    const locks = resourcesOfType(plan, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration");
    expect(locks.map((l) => l.name).sort()).toEqual(["aws-prod-backup-bucket-object-lock", "aws-prod-backup-replica-object-lock"]);
    for (const lock of locks) expect(lock.inputs.rule).toEqual({ defaultRetention: { mode: "GOVERNANCE", days: 30 } });
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
