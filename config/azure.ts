import { z } from "zod";
import { cidrContains, cidrPrefix, cidrsOverlap } from "./cidr";
import { availabilityZone, azureReplicaSiteSection, replicaNetworkProblems } from "./azureReplicaSite";
import { ipv4Cidr } from "./primitives";

/** A GUID such as a subscription, tenant or Entra group object id. */
const guid = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, "must be a GUID such as 00000000-0000-0000-0000-000000000000");

const ipv4 = z
  .string()
  .regex(/^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/, "must be an IPv4 address such as 172.16.0.10");

const azureNetworkSection = z
  .object({
    /** Address space of the virtual network; the two subnets below must lie inside it. */
    vnetCidr: ipv4Cidr.default("10.10.0.0/16"),
    /** Subnet of the AKS nodes. With Azure CNI overlay only nodes take VNet addresses: /20 fits 4091 nodes. */
    clusterSubnetCidr: ipv4Cidr.default("10.10.0.0/20"),
    /** Subnet delegated to Microsoft.DBforMySQL/flexibleServers; Azure recommends at least /28 (HA takes two IPs). */
    databaseSubnetCidr: ipv4Cidr.default("10.10.16.0/28"),
    /** Overlay range for pods (not part of the VNet): /24 per node, so /16 fits 256 nodes. */
    podCidr: ipv4Cidr.default("10.244.0.0/16"),
    /** Range of Kubernetes services; must not overlap the VNet or the pod range. */
    serviceCidr: ipv4Cidr.default("172.16.0.0/16"),
    /** Cluster DNS service address, inside serviceCidr; defaults to the tenth address of serviceCidr. */
    dnsServiceIp: ipv4.optional(),
    /**
     * How nodes reach the internet: the cluster's standard load balancer, or a NAT gateway the stack creates and
     * associates with the cluster subnet (userAssignedNATGateway: 64,512 SNAT ports per IP). AKS's managed NAT gateway
     * is refused: it works only in a VNet AKS creates itself, and this stack brings its own.
     */
    outboundType: z
      .enum(["loadBalancer", "userAssignedNATGateway"], {
        error: "must be loadBalancer or userAssignedNATGateway (AKS refuses managedNATGateway with a custom VNet subnet, as this stack's)",
      })
      .default("loadBalancer"),
    /** Public outbound IPs: of the NAT gateway (userAssignedNATGateway) or AKS-managed on the load balancer; 1-16. */
    outboundIpCount: z.number().int("must be a whole number from 1 to 16").min(1, "must be from 1 to 16").max(16, "must be from 1 to 16").default(2),
  })
  .strict();

/** An Entra principal and its type, as a role assignment must state it. */
const principal = z
  .object({
    /** Object id of the user, group or service principal (for an app registration: its service principal's object id). */
    objectId: guid,
    /** ServicePrincipal (CI identities, managed identities), User or Group. */
    type: z.enum(["ServicePrincipal", "User", "Group"], { error: "must be ServicePrincipal, User or Group" }),
  })
  .strict();

const entraIdSection = z
  .object({
    /** Authenticate Kubernetes users with Microsoft Entra ID (AKS-managed integration). */
    enabled: z.boolean().default(true),
    /** Entra groups whose members are cluster-admin. */
    adminGroupObjectIds: z.array(guid).default([]),
    /** Authorize Kubernetes requests with Azure RBAC role assignments as well as Kubernetes RBAC. */
    azureRbac: z.boolean().default(true),
    /** Tenant of the users; defaults to the subscription's tenant. */
    tenantId: guid.optional(),
    /**
     * Principals (the CI service principal that runs `pulumi up`, break-glass users or groups) that get "Azure
     * Kubernetes Service RBAC Cluster Admin" on the cluster; Owner on the subscription grants no data actions. Each
     * entry names its type, which Azure checks against the principal (UnmatchedPrincipalType otherwise).
     */
    clusterAdmins: z.array(principal).default([]),
  })
  .strict();

const maintenanceWindowSection = z
  .object({
    /** Day of the weekly window in which AKS may upgrade Kubernetes patches and node images (draining nodes). */
    dayOfWeek: z.enum(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]).default("Sunday"),
    /** Start of the window, HH:MM. */
    startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time such as 02:00").default("02:00"),
    /** Length of the window; AKS wants at least 4 hours. */
    durationHours: z.number().int("must be a whole number from 4 to 24").min(4, "must be from 4 to 24").max(24, "must be from 4 to 24").default(4),
    /** Offset of startTime from UTC, such as +01:00. */
    utcOffset: z.string().regex(/^[+-](0\d|1[0-4]):[0-5]\d$/, "must be a UTC offset such as +00:00").default("+00:00"),
  })
  .strict();

const azureClusterSection = z
  .object({
    /** AKS pricing tier: Standard has the uptime SLA (default in production), Free has none. */
    skuTier: z.enum(["Free", "Standard", "Premium"]).optional(),
    /**
     * Where AKS system pods run: `services` makes the Gitpod services pool the system pool (three pools in all);
     * `dedicated` adds a small tainted system pool beside the three Gitpod pools.
     */
    systemPool: z.enum(["services", "dedicated"]).default("services"),
    /** VM size of the dedicated system pool (only with systemPool: dedicated). */
    systemPoolMachineType: z.string().min(1, "must not be empty").default("Standard_D2s_v5"),
    /** Availability zones of the node pools; empty for regions without zones. */
    zones: z.array(availabilityZone).default(["1", "2", "3"]),
    /** Pods per node (Azure CNI overlay allows up to 250). */
    maxPodsPerNode: z.number().int("must be a whole number from 30 to 250").min(30, "must be from 30 to 250").max(250, "must be from 30 to 250").default(110),
    /** Automatic Kubernetes upgrades: `patch` keeps the pinned minor version current; `none` leaves everything to config. */
    upgradeChannel: z.enum(["none", "patch"]).default("patch"),
    /** Automatic node OS image updates. */
    nodeOsUpgradeChannel: z.enum(["None", "Unmanaged", "NodeImage", "SecurityPatch"]).default("NodeImage"),
    /** When the automatic upgrades may drain nodes (and with them running workspaces). */
    maintenanceWindow: maintenanceWindowSection.prefault({}),
    /** Microsoft Entra ID sign-in to the cluster: admin groups, Azure RBAC, cluster-admin principals. */
    entraId: entraIdSection.prefault({}),
    /** Turn off the local (certificate) accounts; every user must come through Entra ID. Defaults to production. */
    disableLocalAccounts: z.boolean().optional(),
    /**
     * How the kubeconfig the program hands to the Kubernetes provider logs in with kubelogin when local accounts are
     * off: azurecli (the operator's `az login`), workloadidentity / spn / msi (CI), devicecode (interactive).
     */
    kubeloginMode: z.enum(["azurecli", "workloadidentity", "spn", "msi", "devicecode"]).default("azurecli"),
    /**
     * Networks allowed to reach the public API server; empty leaves it open to any address. The NAT gateway's IPs
     * are added by the program (AKS adds only a load balancer's). GitHub-hosted runners have no fixed address.
     */
    apiServerAuthorizedIpRanges: z.array(ipv4Cidr).default([]),
    /**
     * OS image of every pool. Ubuntu2204 (default) keeps Ubuntu 22.04 and containerd 1.7, what Gitpod 2022.11 was
     * built for, on Kubernetes 1.25-1.36 until 2027-06-30; Ubuntu follows AKS's default, Ubuntu 24.04 from 1.35 or 1.36
     * (facts/azure/aks-os-skus.json).
     */
    osSku: z.enum(["Ubuntu2204", "Ubuntu"], { error: "must be Ubuntu2204 or Ubuntu" }).default("Ubuntu2204"),
  })
  .strict();

const azureDatabaseSection = z
  .object({
    /** Geo-redundant backup to the paired region (settable only when the server is created). Defaults to production. */
    geoRedundantBackup: z.boolean().optional(),
    /** High availability mode when database.highAvailability is on; SameZone for regions without zones. */
    highAvailabilityMode: z.enum(["ZoneRedundant", "SameZone"]).default("ZoneRedundant"),
    /** Zone of the primary server. */
    zone: availabilityZone.default("1"),
    /** Zone of the zone-redundant standby; must differ from zone. */
    standbyZone: availabilityZone.default("2"),
  })
  .strict();

const azureStorageSection = z
  .object({
    /** Storage account name (3-24 lowercase letters and digits, globally unique); default derived from the stack. */
    accountName: z.string().regex(/^[a-z0-9]{3,24}$/, "must be 3-24 lowercase letters and digits").optional(),
    /** Replication of Gitpod's object storage; default GRS (geo-redundant) in production, LRS otherwise. */
    replication: z.enum(["LRS", "ZRS", "GRS", "GZRS", "RAGRS", "RAGZRS"]).optional(),
    /** Days deleted blobs and containers stay recoverable (blob soft delete). */
    softDeleteDays: z.number().int("must be a whole number from 1 to 365").min(1, "must be from 1 to 365").max(365, "must be from 1 to 365").default(7),
    /**
     * Days a previous blob version is kept before the lifecycle policy deletes it. Gitpod overwrites each workspace's
     * backup on every stop; without this every version stays forever, deleted users' data included.
     */
    noncurrentVersionDays: z.number().int("must be a whole number from 1 to 365").min(1, "must be from 1 to 365").max(365, "must be from 1 to 365").default(7),
  })
  .strict();

const azureRegistrySection = z
  .object({
    /** Registry name (5-50 letters and digits, globally unique); default derived from the stack. */
    name: z.string().regex(/^[a-zA-Z0-9]{5,50}$/, "must be 5-50 letters and digits").optional(),
    /** ACR SKU: Premium (default in production) adds zone redundancy, Standard otherwise. */
    sku: z.enum(["Basic", "Standard", "Premium"]).optional(),
    /**
     * Password of the registry token Gitpod pushes with (a secret: `pulumi config set --secret --path
     * azure.registry.tokenPassword`). Azure only hands token passwords out when generating one, which azure-native
     * cannot do yet; generate it with `az acr token credential generate` after the first `pulumi up` (docs/azure.md).
     */
    tokenPassword: z.string().min(1, "must not be empty").optional(),
    /**
     * When that password expires (YYYY-MM-DD, as `az acr token credential generate --expiration-in-days` set it): the
     * plan warns from 30 days before, since Gitpod's image builds fail silently once it has lapsed.
     */
    tokenPasswordExpiry: z.iso.date("must be a date such as 2027-11-30").optional(),
  })
  .strict();

const azureBackupSection = z
  .object({
    /**
     * Resource group of Velero's backup account, apart from the stack's so that one `az group delete` cannot take
     * data and backups together; default gitpod-<stack>-backup.
     */
    resourceGroupName: z
      .string()
      .regex(/^[-\w.()]{1,89}[-\w()]$/, "must be 1-90 letters, digits, hyphens, underscores, periods or parentheses, not ending in a period")
      .optional(),
    /** Subscription of that resource group (another subscription limits the blast radius further); default the stack's. */
    subscriptionId: guid.optional(),
  })
  .strict();

/** Microsoft Azure section of the stack config (`cloud: azure`). */
export const azureSection = z
  .object({
    /** Location of every resource of the stack, such as westeurope. */
    location: z.string().regex(/^[a-z]+[a-z0-9]*$/, "must be an Azure location such as westeurope"),
    /** Subscription every resource goes into; the explicit provider uses it, so nothing depends on `az account set`. */
    subscriptionId: guid,
    /** Resource group holding the stack; default gitpod-<stack>. */
    resourceGroupName: z
      .string()
      .regex(/^[-\w.()]{1,89}[-\w()]$/, "must be 1-90 letters, digits, hyphens, underscores, periods or parentheses, not ending in a period")
      .optional(),
    /** Tags put on every resource that supports them. */
    tags: z.record(z.string(), z.string()).default({}),
    /** The virtual network: address space, the cluster and MySQL subnets, pod and service ranges, egress. */
    network: azureNetworkSection.prefault({}),
    /** AKS: tier, upgrades, zones, system pool, API server access, Entra ID and local accounts. */
    cluster: azureClusterSection.prefault({}),
    /** Azure Database for MySQL Flexible Server: zones, high availability, geo-redundant backup. */
    database: azureDatabaseSection.prefault({}),
    /** The storage account for Gitpod's object storage: name, replication, soft delete. */
    storage: azureStorageSection.prefault({}),
    /** Azure Container Registry for workspace images: name, SKU, the Gitpod token's password and its expiry. */
    registry: azureRegistrySection.prefault({}),
    /** Velero's backup account: its own resource group (optionally subscription); its immutability is backup.lockDays. */
    backup: azureBackupSection.prefault({}),
    /**
     * CanNotDelete locks on the data resources (MySQL, storage accounts, registry, DNS zone, the backup resource
     * group), which also stop `az group delete` and portal deletes; Pulumi `protect` stops only Pulumi. Default production.
     */
    resourceLocks: z.boolean().optional(),
    /** The site `backup.failover` runs the stack from, in `backup.replicaRegion`: zones and network ranges. */
    replicaSite: azureReplicaSiteSection.prefault({}),
    /**
     * The identities of CI previews and drift checks (repository-level AZURE_CLIENT_ID): they get the two list actions
     * the program calls (the cluster's kubeconfig, Gitpod's storage key) and cluster-admin for the Kubernetes dry runs.
     */
    previewPrincipals: z.array(principal).default([]),
  })
  .strict()
  .superRefine((azure, ctx) => {
    const net = azure.network;
    const problem = (path: (string | number)[], input: unknown, message: string) =>
      ctx.addIssue({ code: "custom", path, input, message });
    for (const key of ["clusterSubnetCidr", "databaseSubnetCidr"] as const) {
      if (!cidrContains(net.vnetCidr, net[key])) problem(["network", key], net[key], `must lie inside network.vnetCidr (${net.vnetCidr})`);
    }
    if (cidrsOverlap(net.clusterSubnetCidr, net.databaseSubnetCidr)) {
      problem(["network", "databaseSubnetCidr"], net.databaseSubnetCidr, `must not overlap network.clusterSubnetCidr (${net.clusterSubnetCidr})`);
    }
    if (cidrPrefix(net.databaseSubnetCidr) > 29) {
      problem(["network", "databaseSubnetCidr"], net.databaseSubnetCidr, "must be /29 or larger (Azure recommends /28)");
    }
    for (const key of ["podCidr", "serviceCidr"] as const) {
      if (cidrsOverlap(net[key], net.vnetCidr)) problem(["network", key], net[key], `must not overlap network.vnetCidr (${net.vnetCidr})`);
    }
    if (cidrsOverlap(net.podCidr, net.serviceCidr)) {
      problem(["network", "serviceCidr"], net.serviceCidr, `must not overlap network.podCidr (${net.podCidr})`);
    }
    if (net.dnsServiceIp !== undefined && !cidrContains(net.serviceCidr, `${net.dnsServiceIp}/32`)) {
      problem(["network", "dnsServiceIp"], net.dnsServiceIp, `must lie inside network.serviceCidr (${net.serviceCidr})`);
    }
    replicaNetworkProblems(azure).forEach(([key, input, message]) => problem(["replicaSite", key], input, message));
    const cluster = azure.cluster;
    if (cluster.disableLocalAccounts === true && !cluster.entraId.enabled) {
      problem(["cluster", "disableLocalAccounts"], true, "needs cluster.entraId.enabled: without local accounts Entra ID is the only way in");
    }
    if (cluster.entraId.enabled && !cluster.entraId.azureRbac && cluster.entraId.adminGroupObjectIds.length === 0) {
      problem(
        ["cluster", "entraId", "azureRbac"],
        false,
        "needs at least one group in cluster.entraId.adminGroupObjectIds, or nobody can administer the cluster",
      );
    }
    if (cluster.entraId.clusterAdmins.length > 0 && !(cluster.entraId.enabled && cluster.entraId.azureRbac)) {
      problem(
        ["cluster", "entraId", "clusterAdmins"],
        cluster.entraId.clusterAdmins,
        "needs cluster.entraId.enabled and cluster.entraId.azureRbac: the role is an Azure RBAC role on the cluster",
      );
    }
    if (azure.database.standbyZone === azure.database.zone) {
      problem(["database", "standbyZone"], azure.database.standbyZone, `must differ from database.zone (${azure.database.zone})`);
    }
  });

export type AzureSection = z.output<typeof azureSection>;

export { replicaNetworkOf } from "./azureReplicaSite";
export { cidrContains, cidrsOverlap, nthAddress, parseCidr } from "./cidr";
