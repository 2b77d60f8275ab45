import * as gcp from "../../providers/sdk/gcp";
import * as pulumi from "@pulumi/pulumi";
import { clusterSubnet } from "./subnet";

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

/** Size of the private services access range (Google picks where it lies, at creation). */
export const privateServicesPrefix = 20;

/**
 * VPC with one subnet for the cluster (secondary ranges for pods and services), Cloud NAT for private nodes, and
 * the private services access range that Cloud SQL's private IP lives in.
 */
export class GcpNetwork extends pulumi.ComponentResource {
  readonly network: gcp.compute.Network;
  readonly subnet: gcp.compute.Subnetwork;
  /** The range Google allocates in the VPC for private services access (Cloud SQL's private IPs live in it). */
  readonly privateServicesRange: gcp.compute.GlobalAddress;
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
    this.subnet = clusterSubnet(name, { ...args, networkId: this.network.id }, { parent: this });
    this.privateServicesRange = new gcp.compute.GlobalAddress(
      `${name}-private-services`,
      { network: this.network.id, purpose: "VPC_PEERING", addressType: "INTERNAL", prefixLength: privateServicesPrefix },
      { parent: this },
    );
    this.privateServicesConnection = new gcp.servicenetworking.Connection(
      `${name}-private-services`,
      {
        network: this.network.id,
        service: "servicenetworking.googleapis.com",
        reservedPeeringRanges: [this.privateServicesRange.name],
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
