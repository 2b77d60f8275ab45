import { AzurePlatform } from "../../components/azure";
import { replicaSiteSettings } from "../../components/azure/replicaSettings";
import { azureNames, azureSettings } from "../../components/azure/settings";
import { gitpodNodeLabels } from "../../components/platform";
import { ConfigError } from "../../config";
import { Plan, planStack, PlannedResource } from "../../scripts/plan/run";
import { readStackFile } from "../../scripts/plan/stackFile";
import { committedPlan, configValues, onlyResource, resourceNamed, resourcesOfType } from "../helpers";
import { azureConfig, inputs, planComponent } from "./fixtures";

const STACK = "azure-prod";

/** The committed stack's `backup` section with keys changed (the section is one JSON value). */
function backupWith(extra: Record<string, unknown>): Record<string, string> {
  const current = JSON.parse(readStackFile(STACK).values["gitpod-platform:backup"] ?? "{}");
  return { "gitpod-platform:backup": JSON.stringify({ ...current, ...extra }) };
}

/** The resources under a component (by URN), the component included. */
function subtree(plan: Plan, root: PlannedResource): PlannedResource[] {
  const urns = new Set([root.urn]);
  for (const resource of plan.resources) if (urns.has(resource.parent)) urns.add(resource.urn);
  return plan.resources.filter((resource) => urns.has(resource.urn));
}

/** Whether a resource of the failover plan belongs to the replica site (set once the plan is made). */
let inReplica: (resource: PlannedResource) => boolean = () => false;

/**
 * The only options failover may change on a primary resource, and why: Gitpod's storage account is failed over by
 * hand (`az storage account failover`), which moves its primary to the paired region and makes it LRS; the program
 * must not fight that (storage.ts). Inputs of primary resources never change.
 */
const allowedOptionChanges: Record<string, { path: string; head: unknown }[]> = {
  "azure-prod-storage-account": [
    { path: "ignoreChanges[0]", head: "location" },
    { path: "ignoreChanges[1]", head: "sku" },
  ],
};

describe("azure-prod with backup.failover: true", () => {
  let before: Plan;
  let after: Plan;
  beforeAll(async () => {
    before = await committedPlan(STACK);
    after = await planStack(STACK, { configOverrides: backupWith({ failover: true }) });
    const replicaUrns = new Set(subtree(after, onlyResource(after, "gitpod:azure:ReplicaSite")).map((resource) => resource.urn));
    inReplica = (resource) => replicaUrns.has(resource.urn);
  }, 120_000);

  it("leaves every primary cloud resource as it was: same URN, inputs and options (the storage account's ignoreChanges aside)", () => {
    const platform = onlyResource(before, "gitpod:azure:Platform");
    const primary = subtree(before, platform);
    expect(primary.length).toBeGreaterThan(50);
    const afterByUrn = new Map(after.resources.map((resource) => [resource.urn, resource]));
    for (const resource of primary) {
      const twin = afterByUrn.get(resource.urn);
      expect(twin).toBeDefined();
      expect({ name: resource.name, inputs: twin?.inputs, protect: twin?.options.protect }).toEqual({
        name: resource.name,
        inputs: resource.inputs,
        protect: resource.options.protect,
      });
      const allowed = allowedOptionChanges[resource.name];
      const expectedIgnore = allowed ? [...resource.options.ignoreChanges, ...allowed.map((change) => change.head)] : resource.options.ignoreChanges;
      expect({ name: resource.name, ignoreChanges: twin?.options.ignoreChanges }).toEqual({ name: resource.name, ignoreChanges: expectedIgnore });
    }
    // Everything new on the cloud side is the replica site.
    const added = subtree(after, onlyResource(after, "gitpod:azure:Platform")).filter((resource) => !primary.some((p) => p.urn === resource.urn));
    expect(added.length).toBeGreaterThan(30);
    expect(added.filter((resource) => !inReplica(resource)).map((resource) => resource.name)).toEqual([]);
  });

  it("builds the replica site in northeurope, in a resource group of its own (ARM routes writes through a group's location)", () => {
    const groups = resourcesOfType(after, "azure-native:resources:ResourceGroup").filter(inReplica);
    expect(groups.map(inputs)).toEqual([expect.objectContaining({ resourceGroupName: "gitpod-azure-prod-replica", location: "northeurope" })]);
    expect(groups[0].options.protect).toBe(true);
    const located = after.resources.filter((resource) => inReplica(resource) && typeof resource.inputs.location === "string");
    expect(new Set(located.map((resource) => resource.inputs.location))).toEqual(new Set(["northeurope", "global"]));
    for (const resource of after.resources.filter((r) => inReplica(r) && typeof r.inputs.resourceGroupName === "string")) {
      expect({ name: resource.name, group: resource.inputs.resourceGroupName }).toEqual({ name: resource.name, group: "gitpod-azure-prod-replica" });
    }
  });

  it("runs AKS with the three Gitpod pools (same sizes and labels) in the replica region's zones", () => {
    const clusters = resourcesOfType(after, "azure-native:containerservice:ManagedCluster");
    expect(clusters).toHaveLength(2);
    const replica = inputs(clusters.find(inReplica)!);
    expect(replica).toMatchObject({ resourceName: "gitpod-azure-prod-replica", location: "northeurope", nodeResourceGroup: "gitpod-azure-prod-replica-nodes" });
    expect(replica.networkProfile).toMatchObject({ networkPluginMode: "overlay", networkPolicy: "calico" });
    const pools = [...replica.agentPoolProfiles, ...resourcesOfType(after, "azure-native:containerservice:AgentPool").filter(inReplica).map(inputs)];
    expect(pools).toHaveLength(3);
    expect(pools.map((pool) => pool.nodeLabels)).toEqual(expect.arrayContaining(Object.values(gitpodNodeLabels)));
    for (const pool of pools) expect(pool.availabilityZones).toEqual(["1", "2", "3"]);
    expect(pools.map((pool) => pool.vmSize).sort()).toEqual(["Standard_D16s_v5", "Standard_D16s_v5", "Standard_D4s_v5"]);
  });

  it("geo-restores MySQL from the primary server into the replica VNet: no new administrator, no HA, locally redundant backups, TLS required", () => {
    const servers = resourcesOfType(after, "azure-native:dbformysql:Server");
    const primary = servers.find((server) => !inReplica(server))!;
    const restored = servers.find(inReplica)!;
    expect(inputs(restored)).toMatchObject({
      createMode: "GeoRestore",
      location: "northeurope",
      serverName: "gitpod-azure-prod-replica-d020cd",
      version: inputs(primary).version,
      sku: inputs(primary).sku,
      storage: inputs(primary).storage,
      backup: { backupRetentionDays: 14, geoRedundantBackup: "Disabled" },
      network: { publicNetworkAccess: "Disabled" },
    });
    // The source is the primary server itself (its id flows in), not a name typed in again.
    expect(restored.dependencies).toContain(primary.urn);
    expect(inputs(restored).sourceServerResourceId).toBeDefined();
    expect(inputs(restored).administratorLogin).toBeUndefined();
    expect(inputs(restored).administratorLoginPassword).toBeUndefined();
    expect(inputs(restored).highAvailability).toBeUndefined();
    expect(restored.options.protect).toBe(true);
    const subnet = resourceNamed(after, "azure-native:network:Subnet", "azure-prod-replica-network-database");
    expect(restored.dependencies).toContain(subnet.urn);
    const tls = resourcesOfType(after, "azure-native:dbformysql:Configuration").filter(inReplica).map(inputs);
    expect(tls).toEqual(expect.arrayContaining([expect.objectContaining({ configurationName: "require_secure_transport", value: "ON", serverName: "gitpod-azure-prod-replica-d020cd" })]));
    // The gitpod database comes with the restored data; declaring it would fail as a create of an existing object.
    expect(resourcesOfType(after, "azure-native:dbformysql:Database").filter(inReplica)).toEqual([]);
  });

  it("gives the new cluster's tools identities in the paired region that trust its issuer, reusing the global zone-lister role", () => {
    const identities = resourcesOfType(after, "azure-native:managedidentity:UserAssignedIdentity").filter(inReplica).map(inputs);
    expect(identities.map((identity) => identity.resourceName).sort()).toEqual([
      "gitpod-azure-prod-replica-cert-manager",
      "gitpod-azure-prod-replica-control-plane",
      "gitpod-azure-prod-replica-external-dns",
      "gitpod-azure-prod-replica-velero",
    ]);
    for (const identity of identities) expect(identity.location).toBe("northeurope");
    const replicaAks = resourcesOfType(after, "azure-native:containerservice:ManagedCluster").find(inReplica)!;
    for (const credential of resourcesOfType(after, "azure-native:managedidentity:FederatedIdentityCredential").filter(inReplica)) {
      expect(credential.dependencies).toContain(replicaAks.urn);
    }
    // A custom role's name is unique in the directory: a second "DNS zone lister" would fail to create.
    const listers = resourcesOfType(after, "azure-native:authorization:RoleDefinition").filter((r) => String(r.inputs.roleName).startsWith("Gitpod DNS zone lister"));
    expect(listers).toHaveLength(1);
    const roleNames = resourcesOfType(after, "azure-native:authorization:RoleDefinition").map((r) => r.inputs.roleName);
    expect(new Set(roleNames).size).toBe(roleNames.length);
  });

  it("keeps the geo-replicated registry and Gitpod's storage account, and grants the new kubelet and Velero on them", () => {
    expect(inputs(onlyResource(before, "azure-native:containerregistry:Replication"))).toMatchObject({ location: "northeurope", zoneRedundancy: "Enabled" });
    expect(resourcesOfType(after, "azure-native:containerregistry:Registry")).toHaveLength(1);
    const account = resourceNamed(after, "azure-native:storage:StorageAccount", "azure-prod-storage-account");
    expect(account.options.ignoreChanges).toEqual(["location", "sku"]);
    expect(resourceNamed(before, "azure-native:storage:StorageAccount", "azure-prod-storage-account").options.ignoreChanges).toEqual([]);
    const grants = resourcesOfType(after, "azure-native:authorization:RoleAssignment").filter(inReplica).map((r) => r.name);
    expect(grants).toEqual(expect.arrayContaining(["azure-prod-replica-kubelet-acr-pull", "azure-prod-replica-velero-blob-data", "azure-prod-replica-velero-snapshots-nodes"]));
  });

  it("hands the Kubernetes layer the new cluster: its provider's cluster identifier is the replica cluster", () => {
    const provider = (plan: Plan) => onlyResource(plan, "pulumi:providers:kubernetes").inputs.clusterIdentifier;
    expect(provider(before)).toBe("gitpod-azure-prod");
    expect(provider(after)).toBe("gitpod-azure-prod-replica");
    // Velero snapshots disks in the replica's group; Gitpod's metadata region is the replica region.
    const kubernetes = JSON.stringify(after.resources.filter((resource) => resource.type.startsWith("kubernetes:")).map((resource) => resource.inputs));
    expect(kubernetes).toContain('"resourceGroup":"gitpod-azure-prod-replica","subscriptionId"');
    expect(kubernetes).toContain("region: northeurope");
  });

  it("returns the replica site as the Platform: cluster, database endpoint, identities", async () => {
    const config = azureConfig({ backup: { replicaRegion: "northeurope", failover: true } });
    const plan = await planComponent(() => {
      const p = new AzurePlatform("t", { config }).platform;
      if (p.database.kind !== "external") throw new Error("expected an external database");
      return { clusterName: p.clusterName, host: p.database.host, username: p.database.username, region: p.metadataRegion, velero: p.workloadIdentity.velero.serviceAccountAnnotations };
    });
    expect(plan.outputs).toMatchObject({ clusterName: "gitpod-t-replica", username: "gitpod", region: "northeurope" });
    expect(plan.outputs.host).toMatch(/^gitpod-t-replica-[0-9a-f]{6}\.mysql\.database\.azure\.com$/);
    const replicaVelero = resourceNamed(plan, "azure-native:managedidentity:UserAssignedIdentity", "t-replica-identity-velero");
    expect(replicaVelero.inputs.location).toBe("northeurope");
  });
});

describe("the replica site with a NAT gateway and a dedicated system pool", () => {
  it("gives the replica its own egress and the same pool layout", async () => {
    const config = azureConfig(
      { backup: { replicaRegion: "northeurope", failover: true } },
      { network: { outboundType: "userAssignedNATGateway", outboundIpCount: 1 }, cluster: { systemPool: "dedicated" } },
    );
    const plan = await planComponent(() => {
      new AzurePlatform("t", { config });
    });
    const gateways = resourcesOfType(plan, "azure-native:network:NatGateway").map(inputs);
    expect(gateways.map((gateway) => [gateway.natGatewayName, gateway.location, gateway.resourceGroupName])).toEqual([
      ["gitpod-t-egress", "westeurope", "gitpod-t"],
      ["gitpod-t-replica-egress", "northeurope", "gitpod-t-replica"],
    ]);
    const replica = inputs(resourceNamed(plan, "azure-native:containerservice:ManagedCluster", "t-replica-cluster-aks"));
    expect(replica.networkProfile.outboundType).toBe("userAssignedNATGateway");
    expect(replica.agentPoolProfiles.map((pool: Record<string, unknown>) => pool.name)).toEqual(["system"]);
    const pools = resourcesOfType(plan, "azure-native:containerservice:AgentPool").filter((pool) => pool.name.startsWith("t-replica-"));
    expect(pools.map((pool) => pool.inputs.agentPoolName).sort()).toEqual(["headlessws", "regularws", "services"]);
  });
});

describe("the replica site's settings and checks", () => {
  it("defaults zones from the paired region's facts and the ranges from the primary's", () => {
    const eastus = azureConfig({ backup: { replicaRegion: "westus" } }, { location: "eastus" });
    const site = replicaSiteSettings(eastus, azureNames("s", eastus.azure));
    // West US has no availability zones (facts/azure/locations.json).
    expect(site).toMatchObject({ location: "westus", zones: [], network: { vnetCidr: "10.10.0.0/16", databaseSubnetCidr: "10.10.16.0/28" } });
    expect(replicaSiteSettings(azureConfig({ backup: {} , environment: "development" }), azureNames("s", azureConfig().azure))).toBeUndefined();
  });

  it("keeps the replica's names within Azure's limits, also for the longest resource group name", () => {
    const config = azureConfig({}, { resourceGroupName: `rg-${"x".repeat(87)}` });
    const names = replicaSiteSettings(config, azureNames("a-rather-long-stack-name-for-the-limits", config.azure))!.names;
    // Resource group 90, AKS node group 80, cluster 63, DNS prefix 54, MySQL server 63 (ARM and service limits).
    const limits = { resourceGroup: 90, nodeResourceGroup: 80, cluster: 63, dnsPrefix: 54, mysqlServer: 63 } as const;
    for (const [key, max] of Object.entries(limits)) expect({ key, tooLong: names[key as keyof typeof limits].length > max }).toEqual({ key, tooLong: false });
    expect(names.resourceGroup).toMatch(/-replica$/);
  });

  it("refuses zones in a paired region without them, naming the key", () => {
    const config = azureConfig({ backup: { replicaRegion: "westus" } }, { location: "eastus", replicaSite: { zones: ["1", "2"] } });
    expect(() => azureSettings("s", config)).toThrow(/azure\.replicaSite\.zones = \["1","2"\]: backup\.replicaRegion westus has no availability zones/);
  });

  it("refuses replica subnets outside the replica VNet", () => {
    expect(() => azureConfig({}, { replicaSite: { vnetCidr: "10.20.0.0/16" } })).toThrow(/replicaSite\.clusterSubnetCidr.*must lie inside the replica VNet/s);
  });

  it("refuses a failover that has nothing to fail over to, before any resource is registered", async () => {
    const registered: string[] = [];
    const overrides = {
      ...backupWith({ failover: true }),
      ...configValues({ azure: { ...JSON.parse(readStackFile(STACK).values["gitpod-platform:azure"]), registry: { sku: "Standard" }, database: { geoRedundantBackup: false } } }),
    };
    const run = planStack(STACK, { configOverrides: overrides, onRegister: (r) => registered.push(r.type) });
    await expect(run).rejects.toThrow(ConfigError);
    await expect(run).rejects.toThrow(/azure\.registry\.sku.*Premium/s);
    await expect(run).rejects.toThrow(/azure\.database\.geoRedundantBackup false/);
    expect(registered.filter((type) => type.startsWith("azure-native:"))).toEqual([]);
  });
});
