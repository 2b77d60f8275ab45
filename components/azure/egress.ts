import * as network from "@pulumi/azure-native/network";
import * as pulumi from "@pulumi/pulumi";

export interface NatGatewayEgressArgs {
  resourceGroupName: pulumi.Input<string>;
  location: string;
  /** Prefix of the gateway's and the IPs' names. */
  namePrefix: string;
  /** Public IPs of the gateway (each gives 64,512 SNAT ports), 1-16. */
  ipCount: number;
  tags: Record<string, string>;
}

/**
 * The NAT gateway of `outboundType: userAssignedNATGateway`: AKS's managed NAT gateway is refused with a subnet of
 * our own ("Managed NAT gateway is incompatible with custom virtual networks", aks docs nat-gateway.md), so the stack
 * creates the gateway and its static public IPs; network.ts associates it with the cluster subnet before AKS uses
 * it. The Standard SKU is zonal (Azure picks a zone for a gateway without one, nat-availability-zones.md): losing
 * that zone stops egress, which is why the committed stack keeps the zone-redundant load balancer.
 */
export class NatGatewayEgress extends pulumi.ComponentResource {
  readonly natGateway: network.NatGateway;
  /** The egress addresses as /32 ranges, for the API server's authorized ranges (AKS adds only a load balancer's). */
  readonly outboundCidrs: pulumi.Output<string[]>;

  constructor(name: string, args: NatGatewayEgressArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:azure:NatGatewayEgress", name, {}, opts);
    const ips = Array.from({ length: args.ipCount }, (_, index) =>
      new network.PublicIPAddress(
        `${name}-ip-${index}`,
        {
          resourceGroupName: args.resourceGroupName,
          publicIpAddressName: `${args.namePrefix}-egress-${index}`,
          location: args.location,
          sku: { name: "Standard", tier: "Regional" },
          publicIPAllocationMethod: "Static",
          publicIPAddressVersion: "IPv4",
          tags: args.tags,
        },
        { parent: this },
      ),
    );
    this.natGateway = new network.NatGateway(
      `${name}-gateway`,
      {
        resourceGroupName: args.resourceGroupName,
        natGatewayName: `${args.namePrefix}-egress`,
        location: args.location,
        sku: { name: "Standard" },
        idleTimeoutInMinutes: 4,
        publicIpAddresses: ips.map((ip) => ({ id: ip.id })),
        tags: args.tags,
      },
      { parent: this },
    );
    this.outboundCidrs = pulumi.all(ips.map((ip) => ip.ipAddress)).apply((addresses) =>
      addresses.map((address) => {
        if (!address) throw new Error(`NAT gateway ${args.namePrefix}-egress: a static public IP has no address`);
        return `${address}/32`;
      }),
    );
    this.registerOutputs({ natGatewayId: this.natGateway.id, outboundCidrs: this.outboundCidrs });
  }
}
