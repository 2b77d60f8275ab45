import { z } from "zod";
import { gcpProjectId, ipv4Cidr } from "./primitives";

/** Google Cloud section of the stack config (`cloud: gcp`). */
export const gcpSection = z
  .object({
    /** Project id that holds every resource of the stack. */
    project: gcpProjectId,
    /** Region of the cluster, database and registry, such as europe-west1. */
    region: z.string().regex(/^[a-z]+-[a-z]+\d+$/, "must be a GCP region such as europe-west1"),
    /** Zones the node pools use; empty means every zone of the region. */
    zones: z.array(z.string().regex(/^[a-z]+-[a-z]+\d+-[a-z]$/, "must be a GCP zone such as europe-west1-b")).default([]),
    /** Encrypt Kubernetes Secrets with a Cloud KMS key of the project (GKE application-layer Secrets encryption). */
    secretsEncryption: z.boolean().default(true),
    /** The VPC: subnet ranges, private nodes, access to the Kubernetes API. */
    network: z
      .object({
        /** Primary range of the nodes' subnet. */
        nodesCidr: ipv4Cidr.default("10.0.0.0/20"),
        /** Secondary range for pods: 110 pods per node needs a /24 per node, so /14 fits 1024 nodes. */
        podsCidr: ipv4Cidr.default("10.16.0.0/14"),
        /** Secondary range for services. */
        servicesCidr: ipv4Cidr.default("10.20.0.0/20"),
        /** /28 range of the private control plane endpoint's peering. */
        masterCidr: ipv4Cidr.default("172.16.0.16/28"),
        /** Nodes get no public IP; egress goes through Cloud NAT. */
        privateNodes: z.boolean().default(true),
        /** Networks allowed to reach the Kubernetes API; empty leaves the public endpoint open to any address. */
        masterAuthorizedNetworks: z
          .array(
            z
              .object({
                /** A label for the network, shown in the GKE console. */
                name: z.string().min(1),
                /** The allowed range, e.g. your office or VPN egress. */
                cidr: ipv4Cidr,
              })
              .strict(),
          )
          .default([]),
      })
      .strict()
      .prefault({}),
  })
  .strict();
