import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import * as pulumi from "@pulumi/pulumi";
import { NatGatewayEgress } from "./egress";

export interface AzureNetworkArgs {
  /** Name of the resource group that holds the whole stack. */
  resourceGroupName: string;
  /** Name of the virtual network. */
  vnetName: string;
  /** Location of the resource group and the network. */
  location: string;
  /** Address space of the virtual network. */
  vnetCidr: string;
  /** Subnet of the AKS nodes (pods live in the CNI overlay, outside the VNet). */
  clusterSubnetCidr: string;
  /** Subnet delegated to MySQL Flexible Server. */
  databaseSubnetCidr: string;
  /** Public IPs of a NAT gateway for the cluster subnet (outboundType userAssignedNATGateway); none without. */
  natGatewayIpCount?: number;
  /** Protect the resource group: deleting it would delete every resource in it, data included. */
  protect: boolean;
  /** Tags for every resource. */
  tags: Record<string, string>;
}

/** The delegation MySQL Flexible Server needs on its subnet for private (VNet) access. */
export const mysqlSubnetDelegation = "Microsoft.DBforMySQL/flexibleServers";

/**
 * The stack's resource group and virtual network with two subnets: one for the AKS nodes and one delegated to
 * MySQL Flexible Server. Subnets are separate resources (the VNet declares none), so that azure-native never
 * removes one while updating the VNet.
 */
export class AzureNetwork extends pulumi.ComponentResource {
  readonly resourceGroup: resources.ResourceGroup;
  readonly vnet: network.VirtualNetwork;
  readonly clusterSubnet: network.Subnet;
  readonly databaseSubnet: network.Subnet;
  /** The cluster subnet's NAT gateway, when the nodes go out through one. */
  readonly egress?: NatGatewayEgress;

  constructor(name: string, args: AzureNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:azure:Network", name, {}, opts);
    this.resourceGroup = new resources.ResourceGroup(
      `${name}-rg`,
      { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags },
      { parent: this, protect: args.protect },
    );
    const resourceGroupName = this.resourceGroup.name;
    this.vnet = new network.VirtualNetwork(
      `${name}-vnet`,
      {
        resourceGroupName,
        virtualNetworkName: args.vnetName,
        location: args.location,
        addressSpace: { addressPrefixes: [args.vnetCidr] },
        tags: args.tags,
      },
      { parent: this, ignoreChanges: ["subnets"] },
    );
    if (args.natGatewayIpCount !== undefined) {
      this.egress = new NatGatewayEgress(
        `${name}-egress`,
        { resourceGroupName, location: args.location, namePrefix: args.vnetName.replace(/-vnet$/, ""), ipCount: args.natGatewayIpCount, tags: args.tags },
        { parent: this },
      );
    }
    this.clusterSubnet = new network.Subnet(
      `${name}-cluster`,
      {
        resourceGroupName,
        virtualNetworkName: this.vnet.name,
        subnetName: "cluster",
        addressPrefix: args.clusterSubnetCidr,
        defaultOutboundAccess: false,
        // AKS requires the NAT gateway on the subnet before the cluster is created.
        natGateway: this.egress ? { id: this.egress.natGateway.id } : undefined,
      },
      { parent: this },
    );
    this.databaseSubnet = new network.Subnet(
      `${name}-database`,
      {
        resourceGroupName,
        virtualNetworkName: this.vnet.name,
        subnetName: "mysql",
        addressPrefix: args.databaseSubnetCidr,
        defaultOutboundAccess: false,
        delegations: [{ name: "mysql-flexible-server", serviceName: mysqlSubnetDelegation }],
      },
      // Azure updates one subnet of a VNet at a time.
      { parent: this, dependsOn: [this.clusterSubnet] },
    );
    this.registerOutputs({ resourceGroupName, vnetId: this.vnet.id });
  }
}
