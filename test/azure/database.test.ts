import * as pulumi from "@pulumi/pulumi";
import { MySqlFlexibleArgs, MySqlFlexibleDatabase, mysqlServerParameters } from "../../components/azure/database";
import { mysqlCaBundle } from "../../components/azure/mysqlCa";
import { Plan } from "../../scripts/plan/run";
import { onlyResource, resourcesOfType } from "../helpers";
import { azureConfig, inputs, planComponent } from "./fixtures";

const SERVER = "azure-native:dbformysql:Server";

function planDatabase(overrides: Partial<MySqlFlexibleArgs> = {}, stack: Record<string, unknown> = {}): Promise<Plan> {
  const config = azureConfig(stack);
  return planComponent(() => {
    const db = new MySqlFlexibleDatabase("d", {
      resourceGroupName: "gitpod-test",
      location: "westeurope",
      serverName: "gitpod-test-abc123",
      privateZoneName: "gitpod-test-abc123.private.mysql.database.azure.com",
      vnetId: "vnet-id",
      subnetId: "mysql-subnet-id",
      database: config.database,
      skuTier: "GeneralPurpose",
      geoRedundantBackup: true,
      highAvailabilityMode: "ZoneRedundant",
      zone: "1",
      standbyZone: "2",
      protect: true,
      lock: true,
      tags: { app: "gitpod" },
      ...overrides,
    });
    const endpoint = db.endpoint;
    if (endpoint.kind !== "external") throw new Error("expected an external endpoint");
    return {
      host: endpoint.host,
      port: endpoint.port,
      username: endpoint.username,
      password: endpoint.password,
      database: endpoint.database,
      ca: endpoint.caCertificate ?? pulumi.output(""),
    };
  });
}

describe("MySQL Flexible Server", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planDatabase({}, { database: { backupRetentionDays: 14, diskSizeGb: 64 } });
  });

  it("is a Flexible Server (not the retired Single Server) on MySQL 8.0 with the configured SKU", () => {
    expect(resourcesOfType(plan, "azure-native:dbformysql:SingleServer")).toHaveLength(0);
    const server = inputs(onlyResource(plan, SERVER));
    expect(server).toMatchObject({ serverName: "gitpod-test-abc123", version: "8.0.21", createMode: "Default" });
    expect(server.sku).toEqual({ name: "Standard_D2ds_v4", tier: "GeneralPurpose" });
    expect(server.storage).toMatchObject({ storageSizeGB: 64, autoGrow: "Enabled", autoIoScaling: "Enabled" });
  });

  it("is reachable only privately, through the delegated subnet and a private DNS zone linked to the VNet", () => {
    const zone = onlyResource(plan, "azure-native:privatedns:PrivateZone");
    expect(inputs(zone)).toMatchObject({ privateZoneName: "gitpod-test-abc123.private.mysql.database.azure.com", location: "global" });
    const link = onlyResource(plan, "azure-native:privatedns:VirtualNetworkLink");
    expect(inputs(link)).toMatchObject({ virtualNetwork: { id: "vnet-id" }, registrationEnabled: false });
    const server = onlyResource(plan, SERVER);
    expect(inputs(server).network).toEqual({
      publicNetworkAccess: "Disabled",
      delegatedSubnetResourceId: "mysql-subnet-id",
      privateDnsZoneResourceId: `${zone.name}-id`,
    });
    expect(server.dependencies).toContain(link.urn);
    expect(resourcesOfType(plan, "azure-native:dbformysql:FirewallRule")).toHaveLength(0);
  });

  it("keeps backups for the configured days, geo-redundant, with zone-redundant HA", () => {
    const server = inputs(onlyResource(plan, SERVER));
    expect(server.backup).toEqual({ backupRetentionDays: 14, geoRedundantBackup: "Enabled" });
    expect(server.highAvailability).toEqual({ mode: "ZoneRedundant", standbyAvailabilityZone: "2" });
    expect(server.availabilityZone).toBe("1");
  });

  it("requires TLS 1.2+ on every connection", () => {
    const parameters = Object.fromEntries(
      resourcesOfType(plan, "azure-native:dbformysql:Configuration").map((c) => [inputs(c).configurationName, inputs(c)]),
    );
    expect(parameters.require_secure_transport).toMatchObject({ value: "ON", source: "user-override" });
    expect(parameters.tls_version).toMatchObject({ value: "TLSv1.2,TLSv1.3" });
    expect(Object.keys(parameters).sort()).toEqual(Object.keys(mysqlServerParameters).sort());
  });

  it("creates the gitpod database, and protects it and the server", () => {
    const database = onlyResource(plan, "azure-native:dbformysql:Database");
    expect(inputs(database)).toMatchObject({ databaseName: "gitpod", charset: "utf8mb4" });
    expect(database.options.protect).toBe(true);
    expect(onlyResource(plan, SERVER).options.protect).toBe(true);
  });

  it("generates the administrator password and keeps it secret everywhere", () => {
    const server = onlyResource(plan, SERVER);
    expect(inputs(server).administratorLogin).toBe("gitpod");
    expect(inputs(server).administratorLoginPassword).toBe("[secret]");
    expect(server.options.additionalSecretOutputs).toContain("administratorLoginPassword");
    expect(plan.outputs.password).toBe("[secret]");
  });

  it("tells Gitpod host, port, user, database and the CA bundle", () => {
    expect(plan.outputs).toMatchObject({ host: "gitpod-test-abc123.mysql.database.azure.com", port: 3306, username: "gitpod", database: "gitpod" });
    expect(plan.outputs.ca).toBe(mysqlCaBundle);
  });

  it("turns geo-redundancy and HA off for development", async () => {
    const dev = await planDatabase({ geoRedundantBackup: false, protect: false }, { environment: "development" });
    const server = onlyResource(dev, SERVER);
    expect(inputs(server).backup).toMatchObject({ geoRedundantBackup: "Disabled" });
    expect(inputs(server).highAvailability).toEqual({ mode: "Disabled" });
    expect(server.options.protect).toBe(false);
  });

  it("uses same-zone HA where the region has no zones", async () => {
    const sameZone = await planDatabase({ highAvailabilityMode: "SameZone", zone: undefined });
    expect(inputs(onlyResource(sameZone, SERVER)).highAvailability).toEqual({ mode: "SameZone" });
    expect(inputs(onlyResource(sameZone, SERVER)).availabilityZone).toBeUndefined();
  });

  it("locks the server against deletion outside Pulumi", async () => {
    const plan = await planDatabase();
    expect(inputs(onlyResource(plan, "azure-native:authorization:ManagementLockByScope"))).toMatchObject({ scope: "d-mysql-id", level: "CanNotDelete" });
  });
});
