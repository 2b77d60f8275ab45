import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { AzurePlatform, externalDnsAzureJson } from "../../components/azure";
import { mysqlCaBundle } from "../../components/azure/mysqlCa";
import { gitpodNodeLabels, ubuntuContainerd } from "../../components/platform";
import { Plan } from "../../scripts/plan/run";
import { onlyResource, resourceNamed, resourcesOfType } from "../helpers";
import { azureConfig, inputs, planComponent, subscriptionId } from "./fixtures";

/** Plans the whole Azure platform and returns its contract, resolved (secrets unwrapped for the assertions). */
function planPlatform(overrides: Record<string, unknown> = {}, azure: Record<string, unknown> = {}): Promise<Plan> {
  const config = azureConfig(overrides, azure);
  return planComponent(() => {
    const p = new AzurePlatform("t", { config }).platform;
    if (p.database.kind !== "external" || p.objectStorage.kind !== "azure" || p.registry.kind !== "external") throw new Error("unexpected contract kinds");
    return {
      cloud: p.cloud,
      domain: p.domain,
      metadataRegion: p.metadataRegion,
      containerRuntime: p.containerRuntime,
      clusterName: p.clusterName,
      kubeconfig: pulumi.unsecret(p.kubeconfig),
      nodePools: p.nodePools,
      database: { ...p.database, password: pulumi.unsecret(p.database.password) },
      objectStorage: { kind: p.objectStorage.kind, accountName: p.objectStorage.accountName },
      registry: { url: p.registry.url, server: p.registry.server, username: p.registry.username },
      dns: { ...p.dns, externalDns: { ...p.dns.externalDns } },
      workloadIdentity: p.workloadIdentity,
    };
  });
}

describe("Azure platform contract", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planPlatform();
  });

  it("describes the cluster, its pools and the Ubuntu containerd paths", () => {
    expect(plan.outputs).toMatchObject({ cloud: "azure", domain: "gitpod.example.com", metadataRegion: "westeurope", clusterName: "gitpod-t" });
    expect(plan.outputs.containerRuntime).toEqual(ubuntuContainerd);
    expect(plan.outputs.nodePools).toEqual([
      { role: "services", name: "services", labels: gitpodNodeLabels.services },
      { role: "regularWorkspaces", name: "regularws", labels: gitpodNodeLabels.regularWorkspaces },
      { role: "headlessWorkspaces", name: "headlessws", labels: gitpodNodeLabels.headlessWorkspaces },
    ]);
    expect(YAML.parse(plan.outputs.kubeconfig as string).users[0].user.exec.command).toBe("kubelogin");
  });

  it("tells Gitpod how to reach MySQL over TLS, object storage and the registry", () => {
    const database = plan.outputs.database as Record<string, unknown>;
    expect(database).toMatchObject({ kind: "external", port: 3306, username: "gitpod", database: "gitpod", caCertificate: mysqlCaBundle });
    expect(database.host).toMatch(/^gitpod-t-[0-9a-f]{6}\.mysql\.database\.azure\.com$/);
    expect(plan.outputs.objectStorage).toEqual({ kind: "azure", accountName: expect.stringMatching(/^gitpodt[0-9a-f]{6}$/) });
    const registry = plan.outputs.registry as Record<string, string>;
    expect(registry.url).toBe(`${registry.server}/gitpod`);
    expect(registry.username).toBe("gitpod");
  });

  it("gives cert-manager an azureDNS solver and external-dns its azure.json, both by workload identity", () => {
    const dns = plan.outputs.dns as any;
    const identities = plan.outputs.workloadIdentity as any;
    const certManagerClientId = identities.certManager.serviceAccountAnnotations["azure.workload.identity/client-id"];
    expect(dns.acmeDns01Solver).toEqual({
      azureDNS: {
        subscriptionID: subscriptionId,
        resourceGroupName: "gitpod-t",
        hostedZoneName: "gitpod.example.com",
        environment: "AzurePublicCloud",
        managedIdentity: { clientID: certManagerClientId },
      },
    });
    expect(dns.externalDns.provider).toBe("azure");
    expect(dns.externalDns.extraArgs).toEqual(["--azure-resource-group=gitpod-t"]);
    const azureJson = JSON.parse(dns.externalDns.configFiles["azure.json"]);
    expect(azureJson).toEqual({
      tenantId: identities.externalDns.serviceAccountAnnotations["azure.workload.identity/tenant-id"],
      subscriptionId,
      resourceGroup: "gitpod-t",
      useWorkloadIdentityExtension: true,
    });
    expect(dns.nameServers).toHaveLength(4);
  });

  it("puts every Azure resource behind the explicit provider and tags them", () => {
    const provider = onlyResource(plan, "pulumi:providers:azure-native");
    expect(inputs(provider)).toMatchObject({ subscriptionId, location: "westeurope" });
    for (const r of plan.resources.filter((r) => r.custom && r.type.startsWith("azure-native:"))) expect(r.provider).toBe(provider.urn);
    for (const type of ["azure-native:containerservice:ManagedCluster", "azure-native:dbformysql:Server", "azure-native:storage:StorageAccount"]) {
      for (const r of resourcesOfType(plan, type)) expect(inputs(r).tags).toEqual({ app: "gitpod", "gitpod-stack": "t", "managed-by": "pulumi" });
    }
  });

  it("is small, unprotected and reachable with the admin credential in development", async () => {
    const dev = await planPlatform({ environment: "development" });
    expect(dev.resources.filter((r) => r.options.protect)).toEqual([]);
    expect(inputs(onlyResource(dev, "azure-native:containerservice:ManagedCluster"))).toMatchObject({ sku: { tier: "Free" }, disableLocalAccounts: false });
    expect(YAML.parse(dev.outputs.kubeconfig as string).users[0].user.exec).toBeUndefined();
    expect(inputs(onlyResource(dev, "azure-native:dbformysql:Server"))).toMatchObject({
      backup: { geoRedundantBackup: "Disabled" },
      highAvailability: { mode: "Disabled" },
    });
    expect(inputs(resourceNamed(dev, "azure-native:storage:StorageAccount", "t-storage-account")).sku).toEqual({ name: "Standard_LRS" });
    expect(inputs(onlyResource(dev, "azure-native:containerregistry:Registry")).sku).toEqual({ name: "Standard" });
  });

  it("gives the preview identities exactly the list actions the program calls, and cluster-admin for dry runs", async () => {
    const objectId = "77777777-6666-4555-8444-333333333333";
    const withPreview = await planPlatform({}, { previewPrincipals: [{ objectId, type: "ServicePrincipal" }] });
    const role = inputs(resourceNamed(withPreview, "azure-native:authorization:RoleDefinition", "t-preview-role"));
    expect(role.permissions).toEqual([
      {
        actions: ["Microsoft.ContainerService/managedClusters/listClusterUserCredential/action", "Microsoft.Storage/storageAccounts/listkeys/action"],
        notActions: [],
        dataActions: [],
        notDataActions: [],
      },
    ]);
    const grants = resourcesOfType(withPreview, "azure-native:authorization:RoleAssignment").filter((r) => r.name.startsWith("t-preview-"));
    expect(grants.map((g) => [g.name, inputs(g).scope, inputs(g).principalType]).sort()).toEqual(
      [
        ["t-preview-0-cluster", "t-cluster-aks-id", "ServicePrincipal"],
        ["t-preview-0-kubernetes", "t-cluster-aks-id", "ServicePrincipal"],
        ["t-preview-0-storage", "t-storage-account-id", "ServicePrincipal"],
      ].sort(),
    );
    expect(resourcesOfType(plan, "azure-native:authorization:RoleDefinition").map((r) => r.name)).not.toContain("t-preview-role");
  });

  it("has no locks and no immutable backups in development", async () => {
    const dev = await planPlatform({ environment: "development" });
    expect(resourcesOfType(dev, "azure-native:authorization:ManagementLockByScope")).toEqual([]);
    expect(inputs(resourceNamed(dev, "azure-native:storage:StorageAccount", "t-backup-account")).immutableStorageWithVersioning).toBeUndefined();
  });

  it("makes backup versions immutable for backup.lockDays (30 in production by default, 45 when set), unlocked even in compliance mode", async () => {
    const immutability = (p: Plan) => inputs(resourceNamed(p, "azure-native:storage:StorageAccount", "t-backup-account")).immutableStorageWithVersioning;
    expect(immutability(plan)).toMatchObject({ enabled: true, immutabilityPolicy: { immutabilityPeriodSinceCreationInDays: 30 } });
    const compliance = await planPlatform({ backup: { replicaRegion: "northeurope", lockDays: 45, lockMode: "compliance" } });
    // Azure creates a policy only Disabled or Unlocked; the operator locks it (docs/backup.md), a plan warning says so.
    expect(immutability(compliance)).toMatchObject({ enabled: true, immutabilityPolicy: { immutabilityPeriodSinceCreationInDays: 45, state: "Unlocked" } });
  });

  it("puts Velero's account in another subscription through a provider of its own when asked", async () => {
    const other = "87654321-4321-4321-8321-cba987654321";
    const split = await planPlatform({}, { backup: { subscriptionId: other } });
    const backupProvider = resourceNamed(split, "pulumi:providers:azure-native", "t-azure-backup");
    expect(inputs(backupProvider)).toMatchObject({ subscriptionId: other });
    for (const name of ["t-backup-rg", "t-backup-account", "t-backup-container", "t-backup-blob-data"]) {
      const resource = split.resources.find((r) => r.name === name)!;
      expect({ name, provider: resource.provider }).toEqual({ name, provider: backupProvider.urn });
    }
    expect(inputs(resourceNamed(split, "azure-native:authorization:RoleAssignment", "t-backup-blob-data")).roleDefinitionId).toMatch(`/subscriptions/${other}/`);
  });

  it("leaves zones out entirely in a region without zones", async () => {
    const regionless = await planPlatform({}, { cluster: { zones: [] }, database: { highAvailabilityMode: "SameZone" } });
    const cluster = inputs(onlyResource(regionless, "azure-native:containerservice:ManagedCluster"));
    expect(cluster.agentPoolProfiles[0].availabilityZones).toBeUndefined();
    for (const pool of resourcesOfType(regionless, "azure-native:containerservice:AgentPool")) expect(inputs(pool).availabilityZones).toBeUndefined();
    const server = inputs(onlyResource(regionless, "azure-native:dbformysql:Server"));
    expect(server.availabilityZone).toBeUndefined();
    expect(server.highAvailability).toEqual({ mode: "SameZone" });
  });

  it("writes external-dns's azure.json without credentials", () => {
    expect(JSON.parse(externalDnsAzureJson("t", "s", "g"))).toEqual({ tenantId: "t", subscriptionId: "s", resourceGroup: "g", useWorkloadIdentityExtension: true });
  });
});
