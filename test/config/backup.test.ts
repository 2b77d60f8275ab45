import { ConfigError, parseStackConfig } from "../../config";
import { azurePairedRegions, gcsDualRegionGroups, gcsMultiRegionOf, replicaRegionProblem } from "../../config/backup";
import { configValues } from "../helpers";

const clouds = {
  gcp: { cloud: "gcp", gcp: { project: "my-gitpod-project", region: "europe-west1" } },
  aws: { cloud: "aws", aws: { region: "eu-west-1" } },
  azure: { cloud: "azure", azure: { location: "westeurope", subscriptionId: "12345678-1234-4234-8234-123456789abc" } },
} as const;

type Cloud = keyof typeof clouds;

function parse(cloud: Cloud, overrides: Record<string, unknown>, onWarning?: (message: string) => void) {
  return parseStackConfig(
    configValues({ ...clouds[cloud], environment: "production", domain: "gitpod.example.com", certificates: { acmeEmail: "ops@example.com" }, ...overrides }),
    { onWarning },
  );
}

function problemsOf(cloud: Cloud, overrides: Record<string, unknown>): string {
  try {
    parse(cloud, overrides);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.join("\n");
    throw err;
  }
  throw new Error("expected the config to be rejected");
}

describe("backup.replicaRegion", () => {
  it.each([
    ["gcp", "europe-west4"],
    ["aws", "eu-central-1"],
    ["azure", "northeurope"],
  ] as const)("is required in production on %s, with an allowed example in the message", (cloud, example) => {
    const message = problemsOf(cloud, {});
    expect(message).toContain("gitpod-platform:backup.replicaRegion is unset: must be set in production");
    expect(message).toContain(`set it to, e.g., ${example}`);
  });

  it("is optional in development, and accepted per cloud where allowed", () => {
    expect(parse("gcp", { environment: "development" }).backup.replicaRegion).toBeUndefined();
    expect(parse("gcp", { backup: { replicaRegion: "europe-north1" } }).backup.replicaRegion).toBe("europe-north1");
    expect(parse("aws", { backup: { replicaRegion: "us-east-1" } }).backup.replicaRegion).toBe("us-east-1");
    expect(parse("azure", { backup: { replicaRegion: "northeurope" } }).backup.replicaRegion).toBe("northeurope");
  });

  it.each([
    ["gcp", "a region of another continent", { backup: { replicaRegion: "us-east4" } }, ['backup.replicaRegion = "us-east4"', "dual-region (EU) with gcp.region europe-west1", "europe-west4"]],
    ["gcp", "the stack's own region", { backup: { replicaRegion: "europe-west1" } }, ['backup.replicaRegion = "europe-west1"', "must form a Cloud Storage dual-region"]],
    [
      "gcp",
      "a primary region outside the EU multi-region (London)",
      { gcp: { project: "my-gitpod-project", region: "europe-west2" }, backup: { replicaRegion: "europe-west1" } },
      ["gcp.region europe-west2 is in no configurable Cloud Storage dual-region"],
    ],
    ["aws", "no AWS region", { backup: { replicaRegion: "eu" } }, ['backup.replicaRegion = "eu"', "must be an AWS region such as eu-central-1"]],
    ["aws", "the stack's own region", { backup: { replicaRegion: "eu-west-1" } }, ["must differ from aws.region (eu-west-1)"]],
    ["aws", "another partition", { backup: { replicaRegion: "us-gov-west-1" } }, ["same AWS partition as aws.region eu-west-1 (aws)"]],
    ["azure", "a region that is not the pair", { backup: { replicaRegion: "germanywestcentral" } }, ["must be northeurope", "paired region"]],
    [
      "azure",
      "a location without a pair",
      { azure: { location: "polandcentral", subscriptionId: "12345678-1234-4234-8234-123456789abc" }, backup: { replicaRegion: "germanywestcentral" } },
      ["azure.location polandcentral has no paired region"],
    ],
  ] as const)("rejects on %s %s", (cloud, _title, overrides, fragments) => {
    const message = problemsOf(cloud, overrides);
    for (const fragment of fragments) expect(message).toContain(fragment);
  });
});

describe("backup.databaseReplica and the other keys", () => {
  it("is a Cloud SQL feature: other clouds are told how their database backups leave the region", () => {
    expect(problemsOf("aws", { backup: { replicaRegion: "eu-central-1", databaseReplica: true } })).toContain(
      "gitpod-platform:backup.databaseReplica = true: is only available on gcp (a Cloud SQL cross-region replica); on aws the database's backups reach backup.replicaRegion by automated backup replication",
    );
    expect(problemsOf("azure", { backup: { replicaRegion: "northeurope", databaseReplica: true } })).toContain("geo-redundant backup");
  });

  it("needs a replica region", () => {
    expect(problemsOf("gcp", { environment: "development", backup: { databaseReplica: true } })).toContain(
      "gitpod-platform:backup.databaseReplica = true: needs backup.replicaRegion",
    );
    expect(parse("gcp", { backup: { replicaRegion: "europe-west4", databaseReplica: true } }).backup.databaseReplica).toBe(true);
  });

  it("defaults soft delete to 7 days and keeps it within what GCS accepts", () => {
    expect(parse("gcp", { backup: { replicaRegion: "europe-west4" } }).backup.softDeleteDays).toBe(7);
    expect(problemsOf("gcp", { backup: { replicaRegion: "europe-west4", softDeleteDays: 3 } })).toContain(
      "gitpod-platform:backup.softDeleteDays = 3: must be from 7 to 90",
    );
  });
});

describe("replica region tables (pure)", () => {
  it("pairs GCS regions within one multi-region only, and every Azure pair is a known location", () => {
    expect(gcsMultiRegionOf("europe-west1")).toBe("EU");
    expect(gcsMultiRegionOf("europe-west2")).toBeUndefined();
    const all = Object.values(gcsDualRegionGroups).flat();
    expect(new Set(all).size).toBe(all.length);
    for (const pair of Object.values(azurePairedRegions)) expect(Object.keys(azurePairedRegions)).toContain(pair);
    expect(replicaRegionProblem("gcp", "us-central1", "us-east4")).toBeUndefined();
    expect(replicaRegionProblem("aws", "eu-west-1", "eu-central-1")).toBeUndefined();
    expect(replicaRegionProblem("azure", "westus3", "eastus")).toBeUndefined();
    expect(replicaRegionProblem("azure", "eastus", "westus3")).toContain("must be westus");
  });
});

describe("backup.lockDays, backup.lockMode and backup.failover", () => {
  it("production locks every backup for its TTL by default; development, and GCP under kopia, do not lock", () => {
    const prod = parse("azure", { backup: { replicaRegion: "northeurope" } }).backup;
    expect(prod).toMatchObject({ ttlHours: 720, lockDays: 30, lockMode: "governance", failover: false });
    expect(parse("aws", { backup: { replicaRegion: "eu-central-1", ttlHours: 200 } }).backup.lockDays).toBe(9);
    const snapshot = { velero: { volumeBackup: "snapshot" } };
    expect(parse("gcp", { ...snapshot, backup: { replicaRegion: "europe-west4", ttlHours: 200 } }).backup.lockDays).toBe(9);
    expect(parse("gcp", { backup: { replicaRegion: "europe-west4" } }).backup.lockDays).toBe(0);
    expect(parse("aws", { environment: "development", backup: {} }).backup.lockDays).toBe(0);
    expect(parse("aws", { backup: { replicaRegion: "eu-central-1", lockMode: "compliance", lockDays: 45 } }).backup).toMatchObject({ lockMode: "compliance", lockDays: 45 });
  });

  it("refuses a TTL longer than the lock: a backup would be deletable for the rest of its life", () => {
    expect(problemsOf("aws", { backup: { replicaRegion: "eu-central-1", lockDays: 7, ttlHours: 720 } })).toContain(
      "gitpod-platform:backup.ttlHours = 720: must be at most backup.lockDays x 24 = 168: a backup would outlive its lock",
    );
    expect(parse("aws", { backup: { replicaRegion: "eu-central-1", lockDays: 0, ttlHours: 720 } }).backup.lockDays).toBe(0);
    expect(problemsOf("azure", { backup: { replicaRegion: "northeurope", lockMode: "legal-hold" } })).toContain(
      'gitpod-platform:backup.lockMode = "legal-hold": must be governance or compliance',
    );
  });

  it("is the only lock setting: the retired per-cloud keys are refused", () => {
    expect(problemsOf("aws", { aws: { region: "eu-west-1", backupLock: { mode: "governance", days: 30 } } })).toContain("gitpod-platform:aws.backupLock: unknown key");
    expect(problemsOf("azure", { azure: { ...clouds.azure.azure, backup: { immutabilityDays: 30 } } })).toContain("gitpod-platform:azure.backup.immutabilityDays: unknown key");
    expect(problemsOf("gcp", { gcp: { ...clouds.gcp.gcp, backupRetention: { days: 30 } } })).toContain("gitpod-platform:gcp.backupRetention: unknown key");
  });

  it("warns that Azure creates the immutability policy unlocked in compliance mode, with the command that locks it", () => {
    const warnings: string[] = [];
    parse("azure", { backup: { replicaRegion: "northeurope", lockMode: "compliance" } }, (message) => warnings.push(message));
    expect(warnings.filter((w) => w.includes("lockMode"))).toEqual([expect.stringContaining("--immutability-state Locked")]);
    const governance: string[] = [];
    parse("azure", { backup: { replicaRegion: "northeurope" } }, (message) => governance.push(message));
    expect(governance.filter((w) => w.includes("lockMode"))).toEqual([]);
  });

  it("failover needs a replica region (an existing cluster is refused in test/recover/sequence.test.ts)", () => {
    expect(problemsOf("gcp", { environment: "development", backup: { failover: true } })).toContain("gitpod-platform:backup.failover = true: needs backup.replicaRegion");
    expect(parse("azure", { backup: { replicaRegion: "northeurope", failover: "true" } }).backup.failover).toBe(true);
  });
});
