import * as gcp from "../../providers/sdk/gcp";
import { backupBucketName } from "../../components/gcp/naming";
import { backupPlacement, GcpBackup, veleroObjectPermissions, veleroSignPermissions, veleroSnapshotPermissions } from "../../components/gcp/backup";
import { BackupTarget } from "../../components/platform";
import { veleroPlugins } from "../../components/veleroPlugins";
import { parseStackConfig } from "../../config";
import { Plan, planStack } from "../../scripts/plan/run";
import { readStackFile } from "../../scripts/plan/stackFile";
import { committedPlan, configValues, onlyResource, resourceNamed, resourcesOfType, valueOf } from "../helpers";
import { gcpConfig, planComponent } from "./fixtures";

const project = "my-gitpod-project";

async function planBackup(
  overrides: Record<string, unknown> = {},
  extra: { retention?: { days: number; locked: boolean }; primaryDiskGb?: number } = {},
): Promise<{ plan: Plan; target: BackupTarget }> {
  const config = gcpConfig(overrides);
  let target: BackupTarget | undefined;
  const plan = await planComponent(() => {
    const veleroAccount = new gcp.serviceaccount.Account("velero", { accountId: "gp-test-velero" });
    const primary = new gcp.sql.DatabaseInstance("primary", {
      name: "gitpod-test-mysql",
      region: config.gcp.region,
      databaseVersion: "MYSQL_8_0",
      settings: extra.primaryDiskGb ? { tier: config.database.machineType, diskSize: extra.primaryDiskGb } : undefined,
    });
    const backup = new GcpBackup("b", {
      project,
      region: config.gcp.region,
      replicaRegion: config.backup.replicaRegion,
      stack: "test",
      noncurrentVersionDays: config.backup.noncurrentVersionDays,
      softDeleteDays: config.backup.softDeleteDays,
      retention: extra.retention,
      veleroAccount,
      protect: config.protect,
      databaseReplica: config.backup.databaseReplica ? { primary, database: config.database, networkId: "vpc-id" } : undefined,
    });
    target = backup.target;
  });
  return { plan, target: target! };
}

describe("GCP backup bucket (production)", () => {
  let plan: Plan;
  let target: BackupTarget;
  beforeAll(async () => {
    ({ plan, target } = await planBackup({ backup: { replicaRegion: "europe-west4", noncurrentVersionDays: 45, softDeleteDays: 14 } }));
  });

  it("is a configurable dual-region of the stack's region and the replica region, with turbo replication", () => {
    const bucket = onlyResource(plan, "gcp:storage/bucket:Bucket").inputs as any;
    expect(bucket.location).toBe("EU");
    expect(bucket.customPlacementConfig).toEqual({ dataLocations: ["EUROPE-WEST1", "EUROPE-WEST4"] });
    expect(bucket.rpo).toBe("ASYNC_TURBO");
    expect(bucket.name).toBe("my-gitpod-project-test-velero");
  });

  it("is versioned, uniform-access, never public, soft-deletes and expires old versions after the configured days", () => {
    const bucket = onlyResource(plan, "gcp:storage/bucket:Bucket");
    const inputs = bucket.inputs as any;
    expect(inputs.versioning).toEqual({ enabled: true });
    expect(inputs.uniformBucketLevelAccess).toBe(true);
    expect(inputs.publicAccessPrevention).toBe("enforced");
    expect(inputs.forceDestroy).toBe(false);
    expect(inputs.softDeletePolicy).toEqual({ retentionDurationSeconds: 14 * 86400 });
    expect(inputs.lifecycleRules).toContainEqual({ action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: 45, withState: "ARCHIVED" } });
    expect(inputs.lifecycleRules).toContainEqual({ action: { type: "AbortIncompleteMultipartUpload" }, condition: { age: 7 } });
    expect(bucket.options.protect).toBe(true);
  });

  it("grants Velero object access on the backup bucket only, snapshots in the project, and signing as itself only", () => {
    const roles = Object.fromEntries(
      resourcesOfType(plan, "gcp:projects/iAMCustomRole:IAMCustomRole").map((r) => [r.inputs.roleId, r.inputs.permissions]),
    );
    expect(roles).toEqual({
      gitpod_test_velero_objects: veleroObjectPermissions,
      gitpod_test_velero_snapshots: veleroSnapshotPermissions,
      gitpod_test_velero_sign: veleroSignPermissions,
    });
    expect(veleroSnapshotPermissions.every((p) => p.startsWith("compute."))).toBe(true);
    expect(veleroObjectPermissions.every((p) => p.startsWith("storage.objects."))).toBe(true);

    const bucketGrant = onlyResource(plan, "gcp:storage/bucketIAMMember:BucketIAMMember").inputs;
    expect(bucketGrant).toEqual({
      bucket: "my-gitpod-project-test-velero",
      role: "projects/offline-project/roles/gitpod_test_velero_objects",
      member: "serviceAccount:gp-test-velero@offline-project.iam.gserviceaccount.com",
    });
    // The only project-wide grant is the snapshot role; no storage role reaches the project.
    const projectGrants = resourcesOfType(plan, "gcp:projects/iAMMember:IAMMember").map((m) => m.inputs.role);
    expect(projectGrants).toEqual(["projects/offline-project/roles/gitpod_test_velero_snapshots"]);
    const signGrant = onlyResource(plan, "gcp:serviceaccount/iAMMember:IAMMember").inputs;
    expect(signGrant).toMatchObject({
      serviceAccountId: "projects/offline-project/serviceAccounts/gp-test-velero@offline-project.iam.gserviceaccount.com",
      role: "projects/offline-project/roles/gitpod_test_velero_sign",
    });
  });

  it("hands Velero the GCP provider, the pinned plugin, the bucket, its workload identity account and multi-region snapshots", async () => {
    expect(target.provider).toBe("velero.io/gcp");
    expect(target.pluginImage).toBe(`${veleroPlugins.gcp.repository}:${veleroPlugins.gcp.tag}`);
    expect(target.pluginImage).toMatch(/:v1\.14\.\d+$/);
    expect(await valueOf(target.bucket)).toBe("my-gitpod-project-test-velero");
    expect(await valueOf(target.config)).toEqual({ serviceAccount: "gp-test-velero@offline-project.iam.gserviceaccount.com" });
    expect(await valueOf(target.snapshotConfig)).toEqual({ project, snapshotLocation: "eu" });
    expect(target.credentialsFile).toBeUndefined();
    // The dual-region bucket fails over by itself: no second location to restore from.
    expect(target.replica).toBeUndefined();
  });

  it("adds no database replica unless configured", () => {
    expect(resourcesOfType(plan, "gcp:sql/databaseInstance:DatabaseInstance").map((r) => r.name)).toEqual(["primary"]);
  });
});

describe("GCP backup bucket immutability and lifecycle", () => {
  it("keeps every object for the retention period against any writer, with versioning off (GCS allows one or the other)", async () => {
    const { plan } = await planBackup({}, { retention: { days: 30, locked: false } });
    const inputs = onlyResource(plan, "gcp:storage/bucket:Bucket").inputs as any;
    expect(inputs.retentionPolicy).toEqual({ retentionPeriod: String(30 * 86400), isLocked: false });
    expect(inputs.versioning).toEqual({ enabled: false });
    expect(inputs.lifecycleRules).toEqual([{ action: { type: "AbortIncompleteMultipartUpload" }, condition: { age: 7 } }]);
    const locked = await planBackup({}, { retention: { days: 30, locked: true } });
    expect((onlyResource(locked.plan, "gcp:storage/bucket:Bucket").inputs as any).retentionPolicy.isLocked).toBe(true);
  });

  it("is force-destroyed with an unprotected (development) stack, never with a protected one", async () => {
    const { plan } = await planBackup({ environment: "development", backup: {} });
    expect((onlyResource(plan, "gcp:storage/bucket:Bucket").inputs as any).forceDestroy).toBe(true);
  });
});

describe("Cloud SQL cross-region replica", () => {
  it("takes the primary's current disk size, which grows by itself, not the size configured at creation", async () => {
    const { plan } = await planBackup({ backup: { replicaRegion: "europe-west4", databaseReplica: true }, database: { diskSizeGb: 50 } }, { primaryDiskGb: 120 });
    const replica = resourceNamed(plan, "gcp:sql/databaseInstance:DatabaseInstance", "b-mysql-replica");
    expect((replica.inputs as any).settings.diskSize).toBe(120);
  });

  it("is a protected, private-IP read replica of the primary in the replica region, sized like the primary", async () => {
    const { plan } = await planBackup({ backup: { replicaRegion: "europe-west4", databaseReplica: true }, database: { machineType: "db-custom-4-15360", diskSizeGb: 50 } });
    const replica = resourceNamed(plan, "gcp:sql/databaseInstance:DatabaseInstance", "b-mysql-replica");
    const inputs = replica.inputs as any;
    expect(inputs).toMatchObject({
      name: "gitpod-test-mysql-europe-west4",
      region: "europe-west4",
      masterInstanceName: "gitpod-test-mysql",
      databaseVersion: "MYSQL_8_0",
      deletionProtection: true,
    });
    expect(inputs.settings).toMatchObject({
      tier: "db-custom-4-15360",
      diskSize: 50,
      deletionProtectionEnabled: true,
      ipConfiguration: { ipv4Enabled: false, privateNetwork: "vpc-id", sslMode: "ENCRYPTED_ONLY", serverCaMode: "GOOGLE_MANAGED_CAS_CA" },
    });
    expect(replica.options.protect).toBe(true);
  });
});

describe("GCP backup in development", () => {
  it("is regional without a replica region and unprotected", async () => {
    const { plan, target } = await planBackup({ environment: "development", backup: {} });
    const bucket = onlyResource(plan, "gcp:storage/bucket:Bucket");
    expect(bucket.inputs.location).toBe("EUROPE-WEST1");
    expect(bucket.inputs.customPlacementConfig).toBeUndefined();
    expect(bucket.inputs.rpo).toBeUndefined();
    expect(bucket.options.protect).toBe(false);
    expect(await valueOf(target.snapshotConfig)).toEqual({ project, snapshotLocation: "europe-west1" });
  });
});

describe("GCP backup placement and names", () => {
  it("pairs regions of one multi-region and refuses any other pair", () => {
    expect(backupPlacement("us-central1", "us-east4")).toEqual({
      location: "US",
      dataLocations: ["US-CENTRAL1", "US-EAST4"],
      rpo: "ASYNC_TURBO",
      snapshotLocation: "us",
    });
    expect(() => backupPlacement("europe-west1", "us-east4")).toThrow("no Cloud Storage dual-region");
  });

  it("names the bucket after the project and the stack, within 63 characters", () => {
    expect(backupBucketName("acme-prod", "Prod_EU")).toBe("acme-prod-prod-eu-velero");
    expect(backupBucketName("a".repeat(30), "s".repeat(40)).length).toBeLessThanOrEqual(63);
  });
});

describe("the prod stack's backup (GCP)", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await committedPlan("prod");
  });

  it("has the dual-region turbo-replicated backup bucket and a Cloud SQL replica in europe-west4, both protected", () => {
    const bucket = onlyResource(plan, "gcp:storage/bucket:Bucket");
    expect(bucket.inputs).toMatchObject({ location: "EU", rpo: "ASYNC_TURBO", customPlacementConfig: { dataLocations: ["EUROPE-WEST1", "EUROPE-WEST4"] } });
    expect(bucket.options.protect).toBe(true);
    const replica = resourceNamed(plan, "gcp:sql/databaseInstance:DatabaseInstance", "prod-backup-mysql-replica");
    expect(replica.inputs).toMatchObject({ region: "europe-west4", masterInstanceName: "gitpod-prod-mysql" });
    expect(replica.options.protect).toBe(true);
    // The primary's automated backups are pinned to the multi-region both regions belong to.
    const primary = resourceNamed(plan, "gcp:sql/databaseInstance:DatabaseInstance", "prod-database-mysql");
    expect((primary.inputs.settings as any).backupConfiguration).toMatchObject({ enabled: true, binaryLogEnabled: true, location: "eu" });
  });

  it("locks the bucket for backup.lockDays, versioning off, and locks the policy in backup.lockMode compliance", async () => {
    expect(onlyResource(plan, "gcp:storage/bucket:Bucket").inputs).toMatchObject({
      retentionPolicy: { retentionPeriod: String(30 * 86400), isLocked: false },
      versioning: { enabled: false },
    });
    const backup = { replicaRegion: "europe-west4", databaseReplica: true, lockMode: "compliance", lockDays: 45 };
    const compliance = await planStack("prod", { configOverrides: configValues({ backup }) });
    expect((onlyResource(compliance, "gcp:storage/bucket:Bucket").inputs as any).retentionPolicy).toEqual({ retentionPeriod: String(45 * 86400), isLocked: true });
  });

  it("enables the Cloud Storage API", () => {
    expect(resourcesOfType(plan, "gcp:projects/service:Service").map((s) => s.inputs.service)).toContain("storage.googleapis.com");
  });

  it("rejects a replica region that forms no dual-region with the stack's region", () => {
    const { values } = readStackFile("prod");
    expect(() => parseStackConfig({ ...values, ...configValues({ backup: { replicaRegion: "us-east4" } }) })).toThrow(
      /gitpod-platform:backup\.replicaRegion = "us-east4": must form a Cloud Storage dual-region \(EU\) with gcp\.region europe-west1/,
    );
  });
});
