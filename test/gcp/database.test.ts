import { CloudSqlDatabase, cloudSqlVersion } from "../../components/gcp/database";
import { Plan } from "../../scripts/plan/run";
import { onlyResource, resourcesOfType } from "../helpers";
import { gcpConfig, planComponent } from "./fixtures";

function planDatabase(overrides: Record<string, unknown> = {}, protect = true): Promise<Plan> {
  const config = gcpConfig(overrides);
  return planComponent(() => {
    new CloudSqlDatabase("db", { project: "my-gitpod-project", region: "europe-west1", networkId: "vpc-id", database: config.database, protect, stack: "test" });
  });
}

describe("Cloud SQL for MySQL", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planDatabase({ database: { backupRetentionDays: 14 } });
  });

  it("has a private IP only and requires encrypted connections", () => {
    const settings = onlyResource(plan, "gcp:sql/databaseInstance:DatabaseInstance").inputs.settings as any;
    expect(settings.ipConfiguration).toEqual({ ipv4Enabled: false, privateNetwork: "vpc-id", sslMode: "ENCRYPTED_ONLY" });
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

  it("gives the Cloud SQL proxy an account with roles/cloudsql.client only", () => {
    const members = resourcesOfType(plan, "gcp:projects/iAMMember:IAMMember");
    expect(members.map((m) => m.inputs.role)).toEqual(["roles/cloudsql.client"]);
    expect(onlyResource(plan, "gcp:serviceaccount/key:Key").options.additionalSecretOutputs).toContain("privateKey");
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
