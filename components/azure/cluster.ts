import * as containerservice from "@pulumi/azure-native/containerservice";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import { PoolConfig, PoolRole, poolRoles } from "../../config";
import { aksKubeconfig, KubeloginMode } from "../../providers/azure";
import { gitpodNodeLabels, NodePoolInfo } from "../platform";
import { grantRole, PrincipalType } from "./grant";
import { dedicatedSystemPoolProfile, gitpodPoolProfile, maintenanceConfigNames, PoolCommon, poolNames } from "./pools";
import { roleDefinitionId } from "./roles";

export { dedicatedSystemPool, gitpodPoolProfile, maintenanceConfigNames, poolNames } from "./pools";

export interface AksClusterArgs extends PoolCommon {
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
  /** Subnet of the nodes. */
  subnetId: pulumi.Input<string>;
  /** Sizes of the three Gitpod pools. */
  nodePools: Record<PoolRole, PoolConfig>;
  /** `services`: the services pool is the system pool; `dedicated`: a small tainted system pool beside it. */
  systemPool: "services" | "dedicated";
  /** VM size of the dedicated system pool. */
  systemPoolMachineType: string;
  /** Overlay range of the pods, range of the services and the cluster DNS address. */
  podCidr: string;
  serviceCidr: string;
  dnsServiceIp: string;
  /**
   * Egress of the nodes: the load balancer with `ipCount` AKS-managed outbound IPs, or the subnet's NAT gateway
   * (its id, for the control plane's role, and its addresses, for the API server's authorized ranges).
   */
  egress: { outboundType: "loadBalancer"; ipCount: number } | { outboundType: "userAssignedNATGateway"; natGatewayId: pulumi.Input<string>; outboundCidrs: pulumi.Input<string[]> };
  /** AKS pricing tier and support plan (Long Term Support needs Premium). */
  skuTier: "Free" | "Standard" | "Premium";
  supportPlan: "KubernetesOfficial" | "AKSLongTermSupport";
  /** Automatic upgrade channels. */
  upgradeChannel: "none" | "patch";
  nodeOsUpgradeChannel: "None" | "Unmanaged" | "NodeImage" | "SecurityPatch";
  /** Entra ID integration; clusterAdmins get AKS RBAC Cluster Admin on the cluster. */
  entraId: {
    enabled: boolean;
    adminGroupObjectIds: string[];
    azureRbac: boolean;
    tenantId?: string;
    clusterAdmins: { objectId: string; type: PrincipalType }[];
  };
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

/**
 * The API server's authorized ranges: the configured ones plus the NAT gateway's addresses, which AKS does not add
 * itself (it adds only a Standard load balancer's outbound IPs, api-server-authorized-ip-ranges.md). Empty stays
 * empty: an open API server is not closed by adding the egress addresses. Pure.
 */
export function authorizedRanges(configured: string[], egressCidrs: string[]): string[] {
  return configured.length === 0 ? [] : [...new Set([...configured, ...egressCidrs])];
}

/**
 * AKS as Gitpod's reference architecture wants it: Azure CNI overlay with Calico network policy (chosen at
 * creation only), OIDC issuer and workload identity for the in-cluster tools, Entra ID with local accounts off in
 * production, a user-assigned control-plane identity holding Network Contributor on its subnet (and NAT gateway)
 * only, and three pools with the Gitpod labels on a deliberate Ubuntu image. The services pool is the system pool
 * unless `systemPool: dedicated`.
 */
export class AksCluster extends pulumi.ComponentResource {
  readonly cluster: containerservice.ManagedCluster;
  readonly nodePools: NodePoolInfo[];
  /** Issuer URL of the cluster's service account tokens, for federated credentials. */
  readonly oidcIssuerUrl: pulumi.Output<string>;
  /** Object id of the kubelet's managed identity (AKS creates it in the node resource group), for AcrPull. */
  readonly kubeletObjectId: pulumi.Output<string>;
  readonly kubeconfig: pulumi.Output<string>;

  constructor(name: string, args: AksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:azure:Cluster", name, {}, opts);
    const controlPlane = new managedidentity.UserAssignedIdentity(
      `${name}-identity`,
      { resourceGroupName: args.resourceGroupName, resourceName: `${args.clusterName}-control-plane`, location: args.location, tags: args.tags },
      { parent: this },
    );
    const networkScopes: [string, pulumi.Input<string>][] = [
      ["subnet", args.subnetId],
      ...(args.egress.outboundType === "userAssignedNATGateway" ? [["nat-gateway", args.egress.natGatewayId] as [string, pulumi.Input<string>]] : []),
    ];
    const networkRoles = networkScopes.map(([part, scope]) =>
      grantRole(
        `${name}-${part}-network-contributor`,
        {
          principalId: controlPlane.principalId,
          principalType: "ServicePrincipal",
          roleDefinitionId: roleDefinitionId(args.subscriptionId, "networkContributor"),
          scope,
          description: `AKS ${args.clusterName}: join nodes and load balancers to its ${part}`,
        },
        { parent: this },
      ),
    );

    const servicesIsSystem = args.systemPool === "services";
    const profile = (role: PoolRole, mode: "System" | "User") => ({ ...gitpodPoolProfile(role, args.nodePools[role], args, mode), vnetSubnetID: args.subnetId });
    const inlinePool = servicesIsSystem
      ? { name: poolNames.services, ...profile("services", "System") }
      : { ...dedicatedSystemPoolProfile(args.systemPoolMachineType, args), vnetSubnetID: args.subnetId };
    const egressCidrs = args.egress.outboundType === "userAssignedNATGateway" ? args.egress.outboundCidrs : [];

    this.cluster = new containerservice.ManagedCluster(
      `${name}-aks`,
      {
        resourceGroupName: args.resourceGroupName,
        resourceName: args.clusterName,
        location: args.location,
        dnsPrefix: args.dnsPrefix,
        kubernetesVersion: args.kubernetesVersion,
        sku: { name: "Base", tier: args.skuTier },
        supportPlan: args.supportPlan,
        identity: { type: "UserAssigned", userAssignedIdentities: [controlPlane.id] },
        nodeResourceGroup: args.nodeResourceGroup,
        enableRBAC: true,
        aadProfile: args.entraId.enabled
          ? { managed: true, enableAzureRBAC: args.entraId.azureRbac, adminGroupObjectIDs: args.entraId.adminGroupObjectIds, tenantID: args.entraId.tenantId }
          : undefined,
        disableLocalAccounts: args.disableLocalAccounts,
        apiServerAccessProfile:
          args.apiServerAuthorizedIpRanges.length > 0
            ? { authorizedIPRanges: pulumi.output(egressCidrs).apply((cidrs) => authorizedRanges(args.apiServerAuthorizedIpRanges, cidrs)) }
            : undefined,
        networkProfile: {
          networkPlugin: "azure",
          networkPluginMode: "overlay",
          networkDataplane: "azure",
          networkPolicy: "calico",
          podCidr: args.podCidr,
          serviceCidr: args.serviceCidr,
          dnsServiceIP: args.dnsServiceIp,
          loadBalancerSku: "standard",
          outboundType: args.egress.outboundType,
          loadBalancerProfile: args.egress.outboundType === "loadBalancer" ? { managedOutboundIPs: { count: args.egress.ipCount } } : undefined,
        },
        oidcIssuerProfile: { enabled: true },
        securityProfile: { workloadIdentity: { enabled: true } },
        autoUpgradeProfile: { upgradeChannel: args.upgradeChannel, nodeOSUpgradeChannel: args.nodeOsUpgradeChannel },
        agentPoolProfiles: [inlinePool],
        tags: args.tags,
      },
      // The autoscaler owns the node count once the pool exists.
      { parent: this, dependsOn: networkRoles, ignoreChanges: ["agentPoolProfiles[0].count"] },
    );

    const separateRoles = poolRoles.filter((role) => !(servicesIsSystem && role === "services"));
    const separatePools = Object.fromEntries(
      separateRoles.map((role) => {
        const { count, ...settings } = profile(role, "User");
        const pool = new containerservice.AgentPool(
          `${name}-${poolNames[role]}`,
          { resourceGroupName: args.resourceGroupName, resourceName: this.cluster.name, agentPoolName: poolNames[role], count, ...settings, tags: args.tags },
          { parent: this, ignoreChanges: ["count"] },
        );
        return [role, pool];
      }),
    ) as Partial<Record<PoolRole, containerservice.AgentPool>>;

    this.maintenanceWindows(name, args);
    const clusterAdmins = args.entraId.clusterAdmins.map((admin, index) =>
      grantRole(
        `${name}-cluster-admin-${index}`,
        {
          principalId: admin.objectId,
          principalType: admin.type,
          roleDefinitionId: roleDefinitionId(args.subscriptionId, "aksRbacClusterAdmin"),
          scope: this.cluster.id,
          description: `cluster-admin on AKS ${args.clusterName} (azure.cluster.entraId.clusterAdmins)`,
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
    this.kubeletObjectId = this.cluster.identityProfile.apply((profiles) => {
      const objectId = profiles?.kubeletidentity?.objectId;
      if (!objectId) throw new Error(`AKS ${args.clusterName} reported no kubelet identity`);
      return objectId;
    });
    this.kubeconfig = aksKubeconfig(
      { resourceGroupName: args.resourceGroupName, clusterName: this.cluster.name, entraIdOnly: args.disableLocalAccounts, kubeloginMode: args.kubeloginMode },
      // The Kubernetes layer uses this kubeconfig: let it wait for the pools and for its admin role.
      { parent: this, dependsOn: [...Object.values(separatePools), ...clusterAdmins] },
    );
    this.registerOutputs({ clusterName: this.cluster.name, oidcIssuerUrl: this.oidcIssuerUrl, kubeconfig: this.kubeconfig });
  }

  /** AKS's planned maintenance configurations, so automatic upgrades drain nodes only inside the weekly window. */
  private maintenanceWindows(name: string, args: AksClusterArgs): void {
    const window = args.maintenanceWindow;
    for (const configName of maintenanceConfigNames(args.upgradeChannel, args.nodeOsUpgradeChannel)) {
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
  }
}
