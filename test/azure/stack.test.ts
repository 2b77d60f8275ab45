import { builtInRoles } from "../../components/azure/roles";
import { gitpodNodeLabels } from "../../components/platform";
import { ConfigError } from "../../config";
import { fakeSecretMarker } from "../../scripts/plan/fakes/random";
import { Plan, planStack, PlannedResource } from "../../scripts/plan/run";
import { committedPlan, onlyResource, resourceNamed, resourcesOfType } from "../helpers";
import { inputs } from "./fixtures";

/** Azure resource types that hold data (or contain it); recreating the cluster must never take them along. */
const dataTypes = [
  "azure-native:resources:ResourceGroup",
  "azure-native:dbformysql:Server",
  "azure-native:dbformysql:Database",
  "azure-native:storage:StorageAccount",
  "azure-native:containerregistry:Registry",
  "azure-native:dns:Zone",
];

/** The three pools of the plan: the inline system pool of the cluster and the separate AgentPools. */
function pools(plan: Plan): Record<string, any>[] {
  const inline = inputs(onlyResource(plan, "azure-native:containerservice:ManagedCluster")).agentPoolProfiles as Record<string, any>[];
  return [...inline, ...resourcesOfType(plan, "azure-native:containerservice:AgentPool").map(inputs)];
}

describe("the azure-prod stack (Azure reference architecture)", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await committedPlan("azure-prod");
  });

  it("has one AKS cluster with Calico network policy, OIDC issuer and workload identity", () => {
    const cluster = inputs(onlyResource(plan, "azure-native:containerservice:ManagedCluster"));
    expect(cluster.networkProfile).toMatchObject({ networkPlugin: "azure", networkPluginMode: "overlay", networkPolicy: "calico" });
    expect(cluster.oidcIssuerProfile).toEqual({ enabled: true });
    expect(cluster.securityProfile.workloadIdentity).toEqual({ enabled: true });
    // In AKS standard support (Mar 2027) on the Standard tier; 1.33 would be refused (K8sVersionNotSupported, LTS only).
    expect(cluster.kubernetesVersion).toBe("1.35");
    expect(cluster.supportPlan).toBe("KubernetesOfficial");
    expect(cluster.aadProfile).toMatchObject({ managed: true, enableAzureRBAC: true, adminGroupObjectIDs: ["11111111-2222-4333-8444-555555555555"] });
    expect(cluster.disableLocalAccounts).toBe(true);
    expect(cluster.apiServerAccessProfile).toEqual({ authorizedIPRanges: ["198.51.100.0/24"] });
    // AKS refuses managedNATGateway with our own subnet; the committed stack goes out through the load balancer.
    expect(cluster.networkProfile).toMatchObject({ outboundType: "loadBalancer", loadBalancerProfile: { managedOutboundIPs: { count: 2 } } });
    expect(cluster.sku).toEqual({ name: "Base", tier: "Standard" });
  });

  it("has exactly three pools, on Ubuntu, carrying the Gitpod labels, the services pool being the system pool", () => {
    const all = pools(plan);
    expect(all).toHaveLength(3);
    expect(all.map((p) => p.nodeLabels)).toEqual(expect.arrayContaining(Object.values(gitpodNodeLabels)));
    for (const pool of all) expect(pool.osSKU).toBe("Ubuntu2204");
    const services = all.find((p) => p.nodeLabels["gitpod.io/workload_services"] === "true");
    expect(services).toMatchObject({ mode: "System", vmSize: "Standard_D4s_v5", minCount: 2, maxCount: 4 });
    for (const pool of all.filter((p) => p !== services)) expect(pool).toMatchObject({ mode: "User", vmSize: "Standard_D16s_v5", maxCount: 50 });
  });

  it("has a private MySQL Flexible Server with geo-redundant backups, zone-redundant HA and TLS required", () => {
    const server = inputs(onlyResource(plan, "azure-native:dbformysql:Server"));
    expect(server.version).toBe("8.0.21");
    expect(server.network).toMatchObject({ publicNetworkAccess: "Disabled" });
    expect(server.network.delegatedSubnetResourceId).toBeDefined();
    expect(server.network.privateDnsZoneResourceId).toBeDefined();
    expect(server.backup).toEqual({ backupRetentionDays: 14, geoRedundantBackup: "Enabled" });
    expect(server.highAvailability).toMatchObject({ mode: "ZoneRedundant" });
    expect(onlyResource(plan, "azure-native:dbformysql:Database").inputs.databaseName).toBe("gitpod");
    const tls = resourcesOfType(plan, "azure-native:dbformysql:Configuration").find((c) => c.inputs.configurationName === "require_secure_transport");
    expect(tls?.inputs.value).toBe("ON");
  });

  it("has the storage account, ACR with a scoped token (no admin user) and the DNS zone", () => {
    expect(inputs(resourceNamed(plan, "azure-native:storage:StorageAccount", "azure-prod-storage-account"))).toMatchObject({ sku: { name: "Standard_GZRS" }, allowBlobPublicAccess: false });
    expect(inputs(resourceNamed(plan, "azure-native:storage:BlobServiceProperties", "azure-prod-storage-blob-service"))).toMatchObject({ isVersioningEnabled: true, deleteRetentionPolicy: { enabled: true, days: 14 } });
    expect(inputs(onlyResource(plan, "azure-native:containerregistry:Registry"))).toMatchObject({ sku: { name: "Premium" }, adminUserEnabled: false });
    expect(inputs(onlyResource(plan, "azure-native:containerregistry:Token")).tokenName).toBe("gitpod");
    expect(inputs(onlyResource(plan, "azure-native:dns:Zone")).zoneName).toBe("gitpod.example.com");
  });

  it("gives cert-manager DNS Zone Contributor on the zone only, through its own federated service account", () => {
    const zone = onlyResource(plan, "azure-native:dns:Zone");
    const certManager = resourcesOfType(plan, "azure-native:authorization:RoleAssignment").filter((r) => r.name.includes("cert-manager"));
    expect(certManager).toHaveLength(1);
    expect(String(certManager[0].inputs.roleDefinitionId)).toMatch(new RegExp(`/${builtInRoles.dnsZoneContributor}$`));
    expect(certManager[0].inputs.scope).toBe(`${zone.name}-id`);
    const subjects = resourcesOfType(plan, "azure-native:managedidentity:FederatedIdentityCredential").map((c) => c.inputs.subject);
    expect(subjects.sort()).toEqual(["system:serviceaccount:cert-manager:cert-manager", "system:serviceaccount:external-dns:external-dns", "system:serviceaccount:velero:velero"]);
  });

  it("lets the CI principal administer the cluster and upgrades only inside the Sunday window", () => {
    const admins = resourcesOfType(plan, "azure-native:authorization:RoleAssignment").filter((r) =>
      String(r.inputs.roleDefinitionId).endsWith(builtInRoles.aksRbacClusterAdmin),
    );
    // The deploying service principal, and the preview identity (server-side dry runs are authorized like writes).
    expect(admins.map((a) => a.inputs.principalId).sort()).toEqual(["77777777-6666-4555-8444-333333333333", "99999999-8888-4777-8666-555555555555"]);
    const windows = resourcesOfType(plan, "azure-native:containerservice:MaintenanceConfiguration");
    expect(windows).toHaveLength(2);
    for (const w of windows) expect(w.inputs.maintenanceWindow).toMatchObject({ schedule: { weekly: { dayOfWeek: "Sunday" } }, startTime: "02:00" });
  });

  it("protects every data resource", () => {
    for (const type of dataTypes) {
      const found: PlannedResource[] = resourcesOfType(plan, type);
      expect(found.length).toBeGreaterThan(0);
      for (const resource of found) expect({ urn: resource.urn, protect: resource.options.protect }).toEqual({ urn: resource.urn, protect: true });
    }
  });

  it("locks the data resources against deletion outside Pulumi and keeps Velero's account in a group of its own", () => {
    const locked = resourcesOfType(plan, "azure-native:authorization:ManagementLockByScope").map((l) => [l.name, l.inputs.scope, l.inputs.level]);
    expect(locked.sort()).toEqual(
      [
        ["azure-prod-backup-lock", "azure-prod-backup-account-id", "CanNotDelete"],
        ["azure-prod-database-lock", "azure-prod-database-mysql-id", "CanNotDelete"],
        ["azure-prod-dns-lock", "azure-prod-dns-zone-id/SOA/@", "CanNotDelete"],
        ["azure-prod-registry-lock", "azure-prod-registry-acr-id", "CanNotDelete"],
        ["azure-prod-storage-lock", "azure-prod-storage-account-id", "CanNotDelete"],
      ].sort(),
    );
    const backupAccount = resourceNamed(plan, "azure-native:storage:StorageAccount", "azure-prod-backup-account");
    expect(backupAccount.inputs.resourceGroupName).toBe("gitpod-azure-prod-backup");
    expect(resourceNamed(plan, "azure-native:storage:StorageAccount", "azure-prod-storage-account").inputs.resourceGroupName).toBe("gitpod-azure-prod");
    // Immutable for at least Velero's TTL (720 h = 30 days).
    expect(backupAccount.inputs.immutableStorageWithVersioning).toMatchObject({ enabled: true, immutabilityPolicy: { immutabilityPeriodSinceCreationInDays: 30 } });
  });

  it("states the principal type of every role assignment and names it deterministically", () => {
    for (const assignment of resourcesOfType(plan, "azure-native:authorization:RoleAssignment")) {
      expect({ name: assignment.name, type: assignment.inputs.principalType }).toEqual({ name: assignment.name, type: "ServicePrincipal" });
      expect(assignment.inputs.roleAssignmentName).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("creates every Azure resource through the stack's explicit provider", () => {
    const provider = onlyResource(plan, "pulumi:providers:azure-native");
    expect(provider.inputs).toMatchObject({ subscriptionId: "00000000-0000-4000-8000-000000000000", location: "westeurope" });
    const azureResources = plan.resources.filter((r) => r.custom && r.type.startsWith("azure-native:"));
    expect(azureResources.length).toBeGreaterThan(25);
    for (const resource of azureResources) expect(resource.provider).toBe(provider.urn);
  });

  it("exports the kubeconfig as a secret, the zone's name servers and no secret in plain text", () => {
    expect(plan.outputs.kubeconfig).toBe("[secret]");
    expect(plan.outputs.nameServers).toHaveLength(4);
    expect(JSON.stringify(plan)).not.toContain(fakeSecretMarker);
  });

});

describe("a bad Azure config", () => {
  // One failing run per file, and last: a failed program leaves the mock runtime's stack behind.
  it("stops the program before any resource but the stack itself is registered", async () => {
    const registered: string[] = [];
    const overrides = { "gitpod-platform:database": JSON.stringify({ supportPlan: "extended", machineType: "Standard_B2ms", highAvailability: true }) };
    const error = await planStack("azure-prod", { configOverrides: overrides, onRegister: (r) => registered.push(r.type) }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ConfigError);
    expect(String((error as Error).message)).toMatch(/database.highAvailability = true: not available on the Burstable tier/);
    expect(registered.filter((type) => type !== "pulumi:pulumi:Stack")).toEqual([]);
  });
});
