import * as gcp from "../../providers/sdk/gcp";
import * as pulumi from "@pulumi/pulumi";

export interface GcpNetworkArgs {
  /** Region of the subnet, router and NAT. */
  region: string;
  /** Primary range of the nodes' subnet. */
  nodesCidr: string;
  /** Secondary range for pods. */
  podsCidr: string;
  /** Secondary range for services. */
  servicesCidr: string;
  /** Give nodes no public IP and route their egress through Cloud NAT. */
  privateNodes: boolean;
}

/** Secondary range names the cluster's IP allocation policy refers to. */
export const secondaryRanges = { pods: "pods", services: "services" } as const;

/**
 * VPC with one subnet for the cluster (secondary ranges for pods and services), Cloud NAT for private nodes, and
 * the private services access range that Cloud SQL's private IP lives in.
 */
export class GcpNetwork extends pulumi.ComponentResource {
  readonly network: gcp.compute.Network;
  readonly subnet: gcp.compute.Subnetwork;
  /** The peering to Google's service producer network; Cloud SQL private IP needs it first. */
  readonly privateServicesConnection: gcp.servicenetworking.Connection;
  /** The VPC's id, known once the peering exists: what a Cloud SQL instance's private network must be given. */
  readonly privateServicesNetworkId: pulumi.Output<string>;

  constructor(name: string, args: GcpNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:gcp:Network", name, {}, opts);
    this.network = new gcp.compute.Network(
      `${name}-vpc`,
      { autoCreateSubnetworks: false, routingMode: "REGIONAL", description: "Gitpod cluster network" },
      { parent: this },
    );
    this.subnet = new gcp.compute.Subnetwork(
      `${name}-nodes`,
      {
        network: this.network.id,
        region: args.region,
        ipCidrRange: args.nodesCidr,
        privateIpGoogleAccess: true,
        secondaryIpRanges: [
          { rangeName: secondaryRanges.pods, ipCidrRange: args.podsCidr },
          { rangeName: secondaryRanges.services, ipCidrRange: args.servicesCidr },
        ],
        // Flow logs sampled at 50%: enough to investigate incidents without a large logging bill.
        logConfig: { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" },
      },
      { parent: this },
    );
    if (args.privateNodes) {
      const router = new gcp.compute.Router(`${name}-router`, { network: this.network.id, region: args.region }, { parent: this });
      new gcp.compute.RouterNat(
        `${name}-nat`,
        {
          router: router.name,
          region: args.region,
          natIpAllocateOption: "AUTO_ONLY",
          sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
          // Workspaces open many outbound connections (git, package registries): give each VM room for them.
          minPortsPerVm: 1024,
          logConfig: { enable: true, filter: "ERRORS_ONLY" },
        },
        { parent: this },
      );
    }
    const servicesRange = new gcp.compute.GlobalAddress(
      `${name}-private-services`,
      { network: this.network.id, purpose: "VPC_PEERING", addressType: "INTERNAL", prefixLength: 20 },
      { parent: this },
    );
    this.privateServicesConnection = new gcp.servicenetworking.Connection(
      `${name}-private-services`,
      {
        network: this.network.id,
        service: "servicenetworking.googleapis.com",
        reservedPeeringRanges: [servicesRange.name],
        // Deleting the peering fails while Cloud SQL still holds it (hashicorp/terraform-provider-google#16275);
        // abandon it: it goes with the VPC.
        deletionPolicy: "ABANDON",
      },
      { parent: this },
    );
    this.privateServicesNetworkId = pulumi.all([this.network.id, this.privateServicesConnection.id]).apply(([id]) => id);
    this.registerOutputs({ network: this.network.id, subnet: this.subnet.id });
  }
}
