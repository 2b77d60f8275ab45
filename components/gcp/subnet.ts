import * as gcp from "../../providers/sdk/gcp";
import * as pulumi from "@pulumi/pulumi";

/** Secondary range names the cluster's IP allocation policy refers to. */
export const secondaryRanges = { pods: "pods", services: "services" } as const;

export interface ClusterSubnetArgs {
  /** The VPC (global) the subnet belongs to. */
  networkId: pulumi.Input<string>;
  /** Region of the subnet, router and NAT. */
  region: string;
  /** Primary range of the nodes' subnet. */
  nodesCidr: pulumi.Input<string>;
  /** Secondary range for pods. */
  podsCidr: string;
  /** Secondary range for services. */
  servicesCidr: string;
  /** Give nodes no public IP and route their egress through Cloud NAT. */
  privateNodes: boolean;
}

/**
 * A cluster's regional share of the VPC: the nodes' subnet (secondary ranges for pods and services, private Google
 * access, flow logs) and, for private nodes, a Cloud Router with Cloud NAT in the same region (a NAT serves only
 * subnets of its own region). Registered as `<name>-nodes`, `<name>-router`, `<name>-nat` under opts.parent.
 */
export function clusterSubnet(name: string, args: ClusterSubnetArgs, opts: pulumi.CustomResourceOptions): gcp.compute.Subnetwork {
  const subnet = new gcp.compute.Subnetwork(
    `${name}-nodes`,
    {
      network: args.networkId,
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
    opts,
  );
  if (args.privateNodes) {
    const router = new gcp.compute.Router(`${name}-router`, { network: args.networkId, region: args.region }, opts);
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
      opts,
    );
  }
  return subnet;
}
