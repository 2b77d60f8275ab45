import * as pulumi from "@pulumi/pulumi";
import { CloudSqlDatabase, cloudSqlVersion, serverCaBundle } from "../../components/gcp/database";
import { instanceDnsName } from "../../components/gcp/databaseDns";
import { DatabaseEndpoint } from "../../components/platform";
import { Plan } from "../../scripts/plan/run";
import { onlyResource, resourcesOfType, valueOf } from "../helpers";
import { gcpConfig, planComponent } from "./fixtures";

let endpoint: DatabaseEndpoint | undefined;

function planDatabase(overrides: Record<string, unknown> = {}, protect = true): Promise<Plan> {
  const config = gcpConfig(overrides);
  return planComponent(() => {
    endpoint = new CloudSqlDatabase("db", { project: "my-gitpod-project", region: "europe-west1", networkId: "vpc-id", database: config.database, protect, stack: "test" }).endpoint;
  });
}

describe("Cloud SQL for MySQL", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planDatabase({ database: { backupRetentionDays: 14 } });
  });

  it("has a private IP only, requires encrypted connections and uses the CA whose certificates name the instance's DNS name", () => {
    const settings = onlyResource(plan, "gcp:sql/databaseInstance:DatabaseInstance").inputs.settings as any;
    expect(settings.ipConfiguration).toEqual({ ipv4Enabled: false, privateNetwork: "vpc-id", sslMode: "ENCRYPTED_ONLY", serverCaMode: "GOOGLE_MANAGED_CAS_CA" });
  });

  it("keeps its backups after the instance is deleted in production", async () => {
    expect((onlyResource(plan, "gcp:sql/databaseInstance:DatabaseInstance").inputs.settings as any).retainBackupsOnDelete).toBe(true);
    const dev = await planDatabase({ environment: "development" }, false);
    expect((onlyResource(dev, "gcp:sql/databaseInstance:DatabaseInstance").inputs.settings as any).retainBackupsOnDelete).toBe(false);
  });

  it("backs up daily with binary logging (point-in-time recovery) and the configured retention", () => {
    const backup = (onlyResource(plan, "gcp:sql/databaseInstance:DatabaseInstance").inputs.settings as any).backupConfiguration;
    expect(backup).toMatchObject({ enabled: true, binaryLogEnabled: true, transactionLogRetentionDays: 7 });
    expect(backup.backupRetentionSettings).toEqual({ retainedBackups: 14, retentionUnit: "COUNT" });
  });

  it("is regional (HA), deletion protected and Pulumi-protected in production, with the 8.0 default", () => {
    const instance = onlyResource(plan, "gcp:sql/databaseInstance:DatabaseInstance");
    expect(instance.inputs.databaseVersion).toBe("MYSQL_8_0");
    expect((instance.inputs.settings as any).availabilityType).toBe("REGIONAL");
    expect((instance.inputs.settings as any).tier).toBe("db-custom-2-7680");
    expect(instance.inputs.deletionProtection).toBe(true);
    expect((instance.inputs.settings as any).deletionProtectionEnabled).toBe(true);
    expect(instance.options.protect).toBe(true);
    expect(onlyResource(plan, "gcp:sql/database:Database").options.protect).toBe(true);
  });

  it("creates database gitpod and user gitpod with a secret generated password", () => {
    expect(onlyResource(plan, "gcp:sql/database:Database").inputs).toMatchObject({ name: "gitpod", charset: "utf8mb4" });
    const user = onlyResource(plan, "gcp:sql/user:User").inputs;
    expect(user.name).toBe("gitpod");
    expect(user.password).toBe("[secret]");
    expect(onlyResource(plan, "random:index/randomPassword:RandomPassword").inputs).toMatchObject({ length: 32 });
  });

  it("hands Gitpod an external MySQL at the instance's DNS name with its server CA: no Cloud SQL proxy, no key", async () => {
    await planDatabase({ database: { backupRetentionDays: 14 } });
    const db = endpoint!;
    if (db.kind !== "external") throw new Error(`expected an external database, got ${db.kind}`);
    expect(await valueOf(db.host)).toBe("0123456789ab.europe-west1.sql.goog");
    expect(await valueOf(db.port)).toBe(3306);
    expect(await valueOf(db.caCertificate!)).toMatch(/^-----BEGIN CERTIFICATE-----[\s\S]*-----END CERTIFICATE-----\n$/);
    expect(await pulumi.isSecret(db.password)).toBe(true);
    expect(resourcesOfType(plan, "gcp:serviceaccount/key:Key")).toHaveLength(0);
    expect(resourcesOfType(plan, "gcp:projects/iAMMember:IAMMember")).toHaveLength(0);
  });

  it("resolves the DNS name to the private IP in a private zone of the stack's VPC only", () => {
    const zone = onlyResource(plan, "gcp:dns/managedZone:ManagedZone").inputs;
    expect(zone).toMatchObject({ dnsName: "0123456789ab.europe-west1.sql.goog.", visibility: "private", privateVisibilityConfig: { networks: [{ networkUrl: "vpc-id" }] } });
    expect(onlyResource(plan, "gcp:dns/recordSet:RecordSet").inputs).toMatchObject({ type: "A", rrdatas: ["10.100.0.3"] });
  });

  it("stops with a clear message when Cloud SQL reports no DNS name, and bundles every current server CA", () => {
    expect(instanceDnsName("abc.europe-west1.sql.goog", "db")).toBe("abc.europe-west1.sql.goog.");
    expect(() => instanceDnsName("", "gitpod-test-mysql")).toThrow(/gitpod-test-mysql reports no DNS name.*GOOGLE_MANAGED_CAS_CA/);
    expect(serverCaBundle([{ cert: "A\n" }, { cert: "B" }])).toBe("A\nB\n");
    expect(() => serverCaBundle([])).toThrow(/no server CA/);
  });

  it("follows config in development: zonal, MySQL 8.0, unprotected", async () => {
    const dev = await planDatabase({ environment: "development", database: { version: "8.0" } }, false);
    const instance = onlyResource(dev, "gcp:sql/databaseInstance:DatabaseInstance");
    expect(instance.inputs.databaseVersion).toBe("MYSQL_8_0");
    expect((instance.inputs.settings as any).availabilityType).toBe("ZONAL");
    expect(instance.inputs.deletionProtection).toBe(false);
    expect(instance.options.protect).toBe(false);
  });

  it("stores backups where told (a multi-region), or leaves Cloud SQL's default", async () => {
    const config = gcpConfig();
    const pinned = await planComponent(() => {
      new CloudSqlDatabase("db", { project: "p", region: "europe-west1", networkId: "vpc-id", database: config.database, protect: true, stack: "test", backupLocation: "eu" });
    });
    expect((onlyResource(pinned, "gcp:sql/databaseInstance:DatabaseInstance").inputs.settings as any).backupConfiguration.location).toBe("eu");
    const backup = (onlyResource(plan, "gcp:sql/databaseInstance:DatabaseInstance").inputs.settings as any).backupConfiguration;
    expect(backup.location).toBeUndefined();
  });

  it("maps MySQL versions to Cloud SQL's names", () => {
    expect(cloudSqlVersion("5.7")).toBe("MYSQL_5_7");
    expect(cloudSqlVersion("8.0")).toBe("MYSQL_8_0");
  });
});
