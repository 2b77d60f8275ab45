import * as authorization from "@pulumi/azure-native/authorization";
import * as containerservice from "@pulumi/azure-native/containerservice";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import { PoolConfig, PoolRole, poolRoles } from "../../config";
import { aksKubeconfig, KubeloginMode } from "../../providers/azure";
import { gitpodNodeLabels, NodePoolInfo } from "../platform";
import { roleDefinitionId } from "./roles";

export interface AksClusterArgs {
  /** Resource group of the cluster. */
  resourceGroupName: pulumi.Input<string>;
  /** Location of the cluster. */
  location: string;
  /** Subscription, for role definition ids. */
  subscriptionId: string;
  /** Name of the managed cluster. */
  clusterName: string;
  /** DNS prefix of the API server's FQDN. */
  dnsPrefix: string;
  /** Resource group AKS creates for the nodes, disks and load balancer. */
  nodeResourceGroup: string;
  /** Kubernetes version of the control plane and every pool. */
  kubernetesVersion: string;
  /** Subnet of the nodes. */
  subnetId: pulumi.Input<string>;
  /** Sizes of the three Gitpod pools. */
  nodePools: Record<PoolRole, PoolConfig>;
  /** `services`: the services pool is the system pool; `dedicated`: a small tainted system pool beside it. */
  systemPool: "services" | "dedicated";
  /** VM size of the dedicated system pool. */
  systemPoolMachineType: string;
  /** Availability zones of the pools. */
  zones: string[];
  /** Pods per node. */
  maxPodsPerNode: number;
  /** Overlay range of the pods, range of the services and the cluster DNS address. */
  podCidr: string;
  serviceCidr: string;
  dnsServiceIp: string;
  /** Egress of the nodes. */
  outboundType: "loadBalancer" | "managedNATGateway";
  /** AKS pricing tier (Standard carries the uptime SLA). */
  skuTier: "Free" | "Standard" | "Premium";
  /** Automatic upgrade channels. */
  upgradeChannel: "none" | "patch";
  nodeOsUpgradeChannel: "None" | "Unmanaged" | "NodeImage" | "SecurityPatch";
  /** Entra ID integration; clusterAdminPrincipalIds get AKS RBAC Cluster Admin on the cluster. */
  entraId: { enabled: boolean; adminGroupObjectIds: string[]; azureRbac: boolean; tenantId?: string; clusterAdminPrincipalIds: string[] };
  /** Weekly window in which AKS may apply the automatic upgrades (they drain nodes, and workspaces with them). */
  maintenanceWindow: { dayOfWeek: string; startTime: string; durationHours: number; utcOffset: string };
  /** No local (certificate) accounts: Entra ID is the only way in. */
  disableLocalAccounts: boolean;
  /** How the program's kubeconfig logs in through kubelogin when local accounts are off. */
  kubeloginMode: KubeloginMode;
  /** Networks allowed to reach the API server; empty leaves it open. */
  apiServerAuthorizedIpRanges: string[];
  /** Tags for every resource. */
  tags: Record<string, string>;
}

/** AKS pool names: lowercase letters and digits, at most 12 characters for Linux pools. */
export const poolNames: Record<PoolRole, string> = {
  services: "services",
  regularWorkspaces: "regularws",
  headlessWorkspaces: "headlessws",
};

/** Name and taint of the dedicated system pool, when there is one. */
export const dedicatedSystemPool = { name: "system", taint: "CriticalAddonsOnly=true:NoSchedule" };

/** AKS's planned maintenance configurations for the automatic upgrade channels in use. Pure. */
export function maintenanceConfigNames(upgradeChannel: AksClusterArgs["upgradeChannel"], nodeOsUpgradeChannel: AksClusterArgs["nodeOsUpgradeChannel"]): string[] {
  return [
    ...(upgradeChannel !== "none" ? ["aksManagedAutoUpgradeSchedule"] : []),
    ...(nodeOsUpgradeChannel === "NodeImage" || nodeOsUpgradeChannel === "SecurityPatch" ? ["aksManagedNodeOSUpgradeSchedule"] : []),
  ];
}

/** The settings of one Gitpod pool as AKS takes them, inline (agentPoolProfiles) or as an AgentPool alike. Pure. */
export function gitpodPoolProfile(
  role: PoolRole,
  pool: PoolConfig,
  args: Pick<AksClusterArgs, "kubernetesVersion" | "zones" | "maxPodsPerNode">,
  mode: "System" | "User",
) {
  return {
    mode,
    type: "VirtualMachineScaleSets",
    osType: "Linux",
    osSKU: "Ubuntu",
    vmSize: pool.machineType,
    osDiskSizeGB: pool.diskSizeGb,
    osDiskType: pool.diskType,
    orchestratorVersion: args.kubernetesVersion,
    availabilityZones: args.zones.length > 0 ? args.zones : undefined,
    enableAutoScaling: true,
    minCount: pool.minNodes,
    maxCount: pool.maxNodes,
    count: Math.max(pool.minNodes, 1),
    maxPods: args.maxPodsPerNode,
    enableNodePublicIP: false,
    nodeLabels: gitpodNodeLabels[role],
    // Workspace nodes hold running workspaces: surge one node at a time instead of draining a tenth of the pool.
    upgradeSettings: { maxSurge: role === "services" ? "33%" : "1" },
  };
}

/**
 * AKS as Gitpod's reference architecture wants it: Azure CNI overlay with Calico network policy (chosen at
 * creation only), OIDC issuer and workload identity for the in-cluster tools, Entra ID with local accounts off in
 * production, a user-assigned control-plane identity holding Network Contributor on its subnet only, and three
 * Ubuntu pools with the Gitpod labels. The services pool is the system pool unless `systemPool: dedicated`.
 */
export class AksCluster extends pulumi.ComponentResource {
  readonly cluster: containerservice.ManagedCluster;
  readonly nodePools: NodePoolInfo[];
  /** Issuer URL of the cluster's service account tokens, for federated credentials. */
  readonly oidcIssuerUrl: pulumi.Output<string>;
  readonly kubeconfig: pulumi.Output<string>;

  constructor(name: string, args: AksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:azure:Cluster", name, {}, opts);
    const controlPlane = new managedidentity.UserAssignedIdentity(
      `${name}-identity`,
      { resourceGroupName: args.resourceGroupName, resourceName: `${args.clusterName}-control-plane`, location: args.location, tags: args.tags },
      { parent: this },
    );
    const subnetRole = new authorization.RoleAssignment(
      `${name}-subnet-network-contributor`,
      {
        principalId: controlPlane.principalId,
        principalType: "ServicePrincipal",
        roleDefinitionId: roleDefinitionId(args.subscriptionId, "networkContributor"),
        scope: args.subnetId,
        description: `AKS ${args.clusterName}: join nodes and load balancers to its subnet`,
      },
      { parent: this },
    );

    const servicesIsSystem = args.systemPool === "services";
    const profile = (role: PoolRole, mode: "System" | "User") => ({
      ...gitpodPoolProfile(role, args.nodePools[role], args, mode),
      vnetSubnetID: args.subnetId,
    });
    const inlinePool = servicesIsSystem
      ? { name: poolNames.services, ...profile("services", "System") }
      : {
          name: dedicatedSystemPool.name,
          mode: "System",
          type: "VirtualMachineScaleSets",
          osType: "Linux",
          osSKU: "Ubuntu",
          vmSize: args.systemPoolMachineType,
          osDiskSizeGB: 64,
          osDiskType: "Managed",
          orchestratorVersion: args.kubernetesVersion,
          availabilityZones: args.zones.length > 0 ? args.zones : undefined,
          enableAutoScaling: true,
          minCount: 2,
          maxCount: 3,
          count: 2,
          maxPods: args.maxPodsPerNode,
          enableNodePublicIP: false,
          nodeTaints: [dedicatedSystemPool.taint],
          upgradeSettings: { maxSurge: "33%" },
          vnetSubnetID: args.subnetId,
        };

    this.cluster = new containerservice.ManagedCluster(
      `${name}-aks`,
      {
        resourceGroupName: args.resourceGroupName,
        resourceName: args.clusterName,
        location: args.location,
        dnsPrefix: args.dnsPrefix,
        kubernetesVersion: args.kubernetesVersion,
        sku: { name: "Base", tier: args.skuTier },
        supportPlan: "KubernetesOfficial",
        identity: { type: "UserAssigned", userAssignedIdentities: [controlPlane.id] },
        nodeResourceGroup: args.nodeResourceGroup,
        enableRBAC: true,
        aadProfile: args.entraId.enabled
          ? {
              managed: true,
              enableAzureRBAC: args.entraId.azureRbac,
              adminGroupObjectIDs: args.entraId.adminGroupObjectIds,
              tenantID: args.entraId.tenantId,
            }
          : undefined,
        disableLocalAccounts: args.disableLocalAccounts,
        apiServerAccessProfile:
          args.apiServerAuthorizedIpRanges.length > 0 ? { authorizedIPRanges: args.apiServerAuthorizedIpRanges } : undefined,
        networkProfile: {
          networkPlugin: "azure",
          networkPluginMode: "overlay",
          networkDataplane: "azure",
          networkPolicy: "calico",
          podCidr: args.podCidr,
          serviceCidr: args.serviceCidr,
          dnsServiceIP: args.dnsServiceIp,
          loadBalancerSku: "standard",
          outboundType: args.outboundType,
          natGatewayProfile:
            args.outboundType === "managedNATGateway" ? { managedOutboundIPProfile: { count: 2 }, idleTimeoutInMinutes: 4 } : undefined,
        },
        oidcIssuerProfile: { enabled: true },
        securityProfile: { workloadIdentity: { enabled: true } },
        autoUpgradeProfile: { upgradeChannel: args.upgradeChannel, nodeOSUpgradeChannel: args.nodeOsUpgradeChannel },
        agentPoolProfiles: [inlinePool],
        tags: args.tags,
      },
      // The autoscaler owns the node count once the pool exists.
      { parent: this, dependsOn: [subnetRole], ignoreChanges: ["agentPoolProfiles[0].count"] },
    );

    const separateRoles = poolRoles.filter((role) => !(servicesIsSystem && role === "services"));
    const separatePools = Object.fromEntries(
      separateRoles.map((role) => {
        const { count, ...settings } = profile(role, "User");
        const pool = new containerservice.AgentPool(
          `${name}-${poolNames[role]}`,
          {
            resourceGroupName: args.resourceGroupName,
            resourceName: this.cluster.name,
            agentPoolName: poolNames[role],
            count,
            ...settings,
            tags: args.tags,
          },
          { parent: this, ignoreChanges: ["count"] },
        );
        return [role, pool];
      }),
    ) as Partial<Record<PoolRole, containerservice.AgentPool>>;

    for (const configName of maintenanceConfigNames(args.upgradeChannel, args.nodeOsUpgradeChannel)) {
      const window = args.maintenanceWindow;
      new containerservice.MaintenanceConfiguration(
        `${name}-${configName === "aksManagedAutoUpgradeSchedule" ? "upgrade" : "node-os"}-window`,
        {
          resourceGroupName: args.resourceGroupName,
          resourceName: this.cluster.name,
          configName,
          maintenanceWindow: {
            schedule: { weekly: { dayOfWeek: window.dayOfWeek, intervalWeeks: 1 } },
            startTime: window.startTime,
            durationHours: window.durationHours,
            utcOffset: window.utcOffset,
          },
        },
        { parent: this },
      );
    }

    const clusterAdmins = args.entraId.clusterAdminPrincipalIds.map(
      (principalId, index) =>
        new authorization.RoleAssignment(
          `${name}-cluster-admin-${index}`,
          {
            principalId,
            roleDefinitionId: roleDefinitionId(args.subscriptionId, "aksRbacClusterAdmin"),
            scope: this.cluster.id,
            description: `cluster-admin on AKS ${args.clusterName} (azure.cluster.entraId.clusterAdminPrincipalIds)`,
          },
          { parent: this },
        ),
    );

    this.nodePools = poolRoles.map((role) => ({
      role,
      name: separatePools[role]?.name ?? this.cluster.name.apply(() => poolNames[role]),
      labels: gitpodNodeLabels[role],
    }));
    this.oidcIssuerUrl = this.cluster.oidcIssuerProfile.apply((p) => p?.issuerURL ?? "");
    this.kubeconfig = aksKubeconfig(
      {
        resourceGroupName: args.resourceGroupName,
        clusterName: this.cluster.name,
        entraIdOnly: args.disableLocalAccounts,
        kubeloginMode: args.kubeloginMode,
      },
      // The Kubernetes layer uses this kubeconfig: let it wait for the pools and for its admin role.
      { parent: this, dependsOn: [...Object.values(separatePools), ...clusterAdmins] },
    );
    this.registerOutputs({ clusterName: this.cluster.name, oidcIssuerUrl: this.oidcIssuerUrl, kubeconfig: this.kubeconfig });
  }
}
