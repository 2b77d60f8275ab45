import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { AksCluster, AksClusterArgs, dedicatedSystemPool } from "../../components/azure/cluster";
import { builtInRoles } from "../../components/azure/roles";
import { gitpodNodeLabels } from "../../components/platform";
import { Plan } from "../../scripts/plan/run";
import { onlyResource, resourceNamed, resourcesOfType } from "../helpers";
import { azureConfig, inputs, planComponent, subscriptionId } from "./fixtures";

const CLUSTER = "azure-native:containerservice:ManagedCluster";
const POOL = "azure-native:containerservice:AgentPool";

function planCluster(overrides: Partial<AksClusterArgs> = {}): Promise<Plan> {
  const config = azureConfig();
  return planComponent(() => {
    const cluster = new AksCluster("c", {
      resourceGroupName: "gitpod-test",
      location: "westeurope",
      subscriptionId,
      clusterName: "gitpod-test",
      dnsPrefix: "gitpod-test",
      nodeResourceGroup: "gitpod-test-nodes",
      kubernetesVersion: "1.35",
      osSku: "Ubuntu2204",
      supportPlan: "KubernetesOfficial",
      subnetId: "subnet-id",
      nodePools: config.nodePools,
      systemPool: "services",
      systemPoolMachineType: "Standard_D2s_v5",
      zones: ["1", "2", "3"],
      maxPodsPerNode: 110,
      podCidr: "10.244.0.0/16",
      serviceCidr: "172.16.0.0/16",
      dnsServiceIp: "172.16.0.10",
      egress: { outboundType: "loadBalancer", ipCount: 2 },
      skuTier: "Standard",
      upgradeChannel: "patch",
      nodeOsUpgradeChannel: "NodeImage",
      entraId: {
        enabled: true,
        adminGroupObjectIds: ["11111111-2222-4333-8444-555555555555"],
        azureRbac: true,
        clusterAdmins: [{ objectId: "99999999-8888-4777-8666-555555555555", type: "ServicePrincipal" }],
      },
      maintenanceWindow: { dayOfWeek: "Sunday", startTime: "02:00", durationHours: 4, utcOffset: "+01:00" },
      disableLocalAccounts: true,
      kubeloginMode: "azurecli",
      apiServerAuthorizedIpRanges: ["198.51.100.0/24"],
      tags: { app: "gitpod" },
      ...overrides,
    });
    return { kubeconfig: pulumi.unsecret(cluster.kubeconfig), issuer: cluster.oidcIssuerUrl, pools: cluster.nodePools.map((p) => p.name) };
  });
}

/** All pools of a plan, inline (agentPoolProfiles) and separate (AgentPool), by AKS pool name. */
function poolsByName(plan: Plan): Record<string, Record<string, any>> {
  const inline = (inputs(onlyResource(plan, CLUSTER)).agentPoolProfiles as Record<string, any>[]).map((p) => [p.name, p]);
  const separate = resourcesOfType(plan, POOL).map((p) => [inputs(p).agentPoolName, inputs(p)]);
  return Object.fromEntries([...inline, ...separate]);
}

describe("AKS cluster", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planCluster();
  });

  it("uses Azure CNI overlay with Calico network policy and the configured ranges", () => {
    expect(inputs(onlyResource(plan, CLUSTER)).networkProfile).toEqual({
      networkPlugin: "azure",
      networkPluginMode: "overlay",
      networkDataplane: "azure",
      networkPolicy: "calico",
      podCidr: "10.244.0.0/16",
      serviceCidr: "172.16.0.0/16",
      dnsServiceIP: "172.16.0.10",
      loadBalancerSku: "standard",
      outboundType: "loadBalancer",
      loadBalancerProfile: expect.objectContaining({ managedOutboundIPs: expect.objectContaining({ count: 2 }) }),
    });
  });

  it("enables the OIDC issuer and workload identity, pins the version and the tier", () => {
    const cluster = inputs(onlyResource(plan, CLUSTER));
    expect(cluster.oidcIssuerProfile).toEqual({ enabled: true });
    expect(cluster.securityProfile).toEqual({ workloadIdentity: { enabled: true } });
    expect(cluster.kubernetesVersion).toBe("1.35");
    expect(cluster.sku).toEqual({ name: "Base", tier: "Standard" });
    expect(cluster.autoUpgradeProfile).toEqual({ upgradeChannel: "patch", nodeOSUpgradeChannel: "NodeImage" });
    expect(cluster.nodeResourceGroup).toBe("gitpod-test-nodes");
    expect(cluster.enableRBAC).toBe(true);
  });

  it("integrates Entra ID, disables local accounts and restricts the API server", () => {
    const cluster = inputs(onlyResource(plan, CLUSTER));
    expect(cluster.aadProfile).toEqual({ managed: true, enableAzureRBAC: true, adminGroupObjectIDs: ["11111111-2222-4333-8444-555555555555"] });
    expect(cluster.disableLocalAccounts).toBe(true);
    expect(cluster.apiServerAccessProfile).toEqual({ authorizedIPRanges: ["198.51.100.0/24"] });
  });

  it("runs the control plane as a user-assigned identity with Network Contributor on its subnet only", () => {
    const identity = onlyResource(plan, "azure-native:managedidentity:UserAssignedIdentity");
    const assignment = resourceNamed(plan, "azure-native:authorization:RoleAssignment", "c-subnet-network-contributor");
    expect(inputs(assignment)).toMatchObject({
      scope: "subnet-id",
      principalType: "ServicePrincipal",
      roleDefinitionId: `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${builtInRoles.networkContributor}`,
    });
    expect(assignment.dependencies).toContain(identity.urn);
    const cluster = onlyResource(plan, CLUSTER);
    expect(inputs(cluster).identity).toEqual({ type: "UserAssigned", userAssignedIdentities: [`${identity.name}-id`] });
    expect(cluster.dependencies).toContain(assignment.urn);
  });

  it("has exactly three pools with the Gitpod labels on Ubuntu; the services pool is the system pool", () => {
    const pools = poolsByName(plan);
    expect(Object.keys(pools).sort()).toEqual(["headlessws", "regularws", "services"]);
    expect(pools.services.nodeLabels).toEqual(gitpodNodeLabels.services);
    expect(pools.regularws.nodeLabels).toEqual(gitpodNodeLabels.regularWorkspaces);
    expect(pools.headlessws.nodeLabels).toEqual(gitpodNodeLabels.headlessWorkspaces);
    expect(pools.services.mode).toBe("System");
    expect(pools.services.nodeTaints).toBeUndefined();
    expect(pools.regularws.mode).toBe("User");
    expect(pools.headlessws.mode).toBe("User");
    for (const pool of Object.values(pools)) {
      expect(pool).toMatchObject({
        osType: "Linux",
        osSKU: "Ubuntu2204",
        type: "VirtualMachineScaleSets",
        enableAutoScaling: true,
        maxPods: 110,
        orchestratorVersion: "1.35",
        availabilityZones: ["1", "2", "3"],
        vnetSubnetID: "subnet-id",
        enableNodePublicIP: false,
      });
    }
  });

  it("sizes the pools by role as on GCP: D4s services 1-4, D16s workspaces up to 50 with 512 GB", () => {
    const pools = poolsByName(plan);
    expect(pools.services).toMatchObject({ vmSize: "Standard_D4s_v5", osDiskSizeGB: 100, osDiskType: "Managed", minCount: 1, maxCount: 4 });
    for (const name of ["regularws", "headlessws"]) {
      expect(pools[name]).toMatchObject({ vmSize: "Standard_D16s_v5", osDiskSizeGB: 512, minCount: 1, maxCount: 50 });
      expect(pools[name].upgradeSettings).toEqual({ maxSurge: "1" });
    }
  });

  it("gives the configured principals cluster-admin through Azure RBAC on this cluster only", () => {
    const admin = resourceNamed(plan, "azure-native:authorization:RoleAssignment", "c-cluster-admin-0");
    expect(inputs(admin)).toMatchObject({
      principalId: "99999999-8888-4777-8666-555555555555",
      // azure-native sends "User" when unset; Azure refuses that for a service principal (UnmatchedPrincipalType).
      principalType: "ServicePrincipal",
      roleDefinitionId: `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${builtInRoles.aksRbacClusterAdmin}`,
      scope: "c-aks-id",
    });
    expect(resourcesOfType(plan, "azure-native:authorization:RoleAssignment")).toHaveLength(2);
  });

  it("confines automatic upgrades to the weekly maintenance window", () => {
    const windows = resourcesOfType(plan, "azure-native:containerservice:MaintenanceConfiguration").map(inputs);
    expect(windows.map((w) => w.configName).sort()).toEqual(["aksManagedAutoUpgradeSchedule", "aksManagedNodeOSUpgradeSchedule"]);
    for (const window of windows) {
      expect(window.resourceName).toBe("gitpod-test");
      expect(window.maintenanceWindow).toEqual({
        schedule: { weekly: { dayOfWeek: "Sunday", intervalWeeks: 1 } },
        startTime: "02:00",
        durationHours: 4,
        utcOffset: "+01:00",
      });
    }
  });

  it("needs no maintenance window when nothing upgrades automatically", async () => {
    const manual = await planCluster({ upgradeChannel: "none", nodeOsUpgradeChannel: "Unmanaged" });
    expect(resourcesOfType(manual, "azure-native:containerservice:MaintenanceConfiguration")).toHaveLength(0);
    expect(inputs(onlyResource(manual, CLUSTER)).autoUpgradeProfile).toEqual({ upgradeChannel: "none", nodeOSUpgradeChannel: "Unmanaged" });
  });

  it("lets the autoscaler own node counts", () => {
    expect(onlyResource(plan, CLUSTER).options.ignoreChanges).toContain("agentPoolProfiles[0].count");
    for (const pool of resourcesOfType(plan, POOL)) expect(pool.options.ignoreChanges).toContain("count");
  });

  it("hands out a kubelogin kubeconfig that logs in with the configured mode, and the issuer URL", () => {
    const kubeconfig = YAML.parse(plan.outputs.kubeconfig as string);
    const exec = kubeconfig.users[0].user.exec;
    expect(exec.command).toBe("kubelogin");
    expect(exec.args.slice(-2)).toEqual(["--login", "azurecli"]);
    expect(exec.args).not.toContain("devicecode");
    expect(exec.args).not.toContain("--client-id");
    expect(plan.outputs.issuer).toMatch(/^https:\/\/westeurope\.oic\.prod-aks\.azure\.com\//);
    expect(plan.outputs.pools).toEqual(["services", "regularws", "headlessws"]);
  });

  it("uses the admin credential when local accounts stay on, without Entra ID", async () => {
    const local = await planCluster({ disableLocalAccounts: false, entraId: { enabled: false, adminGroupObjectIds: [], azureRbac: false, clusterAdmins: [] } });
    const kubeconfig = YAML.parse(local.outputs.kubeconfig as string);
    expect(kubeconfig.users[0].user.exec).toBeUndefined();
    expect(kubeconfig.users[0].user["client-certificate-data"]).toBeDefined();
    const cluster = inputs(onlyResource(local, CLUSTER));
    expect(cluster.aadProfile).toBeUndefined();
    expect(cluster.disableLocalAccounts).toBe(false);
    expect(cluster.apiServerAccessProfile).toBeDefined();
  });

  it("adds a tainted system pool beside the three Gitpod pools with systemPool: dedicated", async () => {
    const dedicated = await planCluster({ systemPool: "dedicated" });
    const pools = poolsByName(dedicated);
    expect(Object.keys(pools).sort()).toEqual(["headlessws", "regularws", "services", "system"]);
    expect(pools.system).toMatchObject({ mode: "System", osSKU: "Ubuntu2204", vmSize: "Standard_D2s_v5", nodeTaints: [dedicatedSystemPool.taint] });
    expect(pools.system.nodeLabels).toBeUndefined();
    expect(pools.services).toMatchObject({ mode: "User", nodeLabels: gitpodNodeLabels.services });
    expect(resourcesOfType(dedicated, POOL)).toHaveLength(3);
  });

  it("goes out through the subnet's NAT gateway, allows its addresses to the API server and may manage it", async () => {
    const nat = await planCluster({
      egress: { outboundType: "userAssignedNATGateway", natGatewayId: "nat-id", outboundCidrs: ["203.0.113.7/32"] },
    });
    const cluster = inputs(onlyResource(nat, CLUSTER));
    expect(cluster.networkProfile.outboundType).toBe("userAssignedNATGateway");
    expect(cluster.networkProfile.natGatewayProfile).toBeUndefined();
    expect(cluster.networkProfile.loadBalancerProfile).toBeUndefined();
    // AKS adds only a load balancer's outbound IPs to the authorized ranges; the NAT gateway's are the program's job.
    expect(cluster.apiServerAccessProfile.authorizedIPRanges).toEqual(["198.51.100.0/24", "203.0.113.7/32"]);
    const natRole = resourceNamed(nat, "azure-native:authorization:RoleAssignment", "c-nat-gateway-network-contributor");
    expect(inputs(natRole)).toMatchObject({ scope: "nat-id", principalType: "ServicePrincipal" });
    expect(onlyResource(nat, CLUSTER).dependencies).toContain(natRole.urn);
  });

  it("leaves an open API server open (no ranges), and sizes the load balancer's outbound IPs", async () => {
    const open = await planCluster({ apiServerAuthorizedIpRanges: [] });
    const cluster = inputs(onlyResource(open, CLUSTER));
    expect(cluster.apiServerAccessProfile).toBeUndefined();
    expect(inputs(onlyResource(plan, CLUSTER)).networkProfile.loadBalancerProfile.managedOutboundIPs.count).toBe(2);
  });

  it("takes tier and support plan from the settings: Long Term Support only when asked, never hard-coded", async () => {
    expect(inputs(onlyResource(plan, CLUSTER))).toMatchObject({ sku: { name: "Base", tier: "Standard" }, supportPlan: "KubernetesOfficial" });
    const lts = await planCluster({ skuTier: "Premium", supportPlan: "AKSLongTermSupport", osSku: "Ubuntu", kubernetesVersion: "1.34" });
    expect(inputs(onlyResource(lts, CLUSTER))).toMatchObject({ sku: { tier: "Premium" }, supportPlan: "AKSLongTermSupport", kubernetesVersion: "1.34" });
  });

  it("puts every pool on the deliberate OS SKU", () => {
    for (const pool of Object.values(poolsByName(plan))) expect(pool.osSKU).toBe("Ubuntu2204");
  });

  it("names every role assignment from its scope, role and principal, and replaces it delete-first", () => {
    for (const assignment of resourcesOfType(plan, "azure-native:authorization:RoleAssignment")) {
      expect(inputs(assignment).roleAssignmentName).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(assignment.options.deleteBeforeReplace).toBe(true);
    }
  });
});
