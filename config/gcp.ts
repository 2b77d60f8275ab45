import { z } from "zod";
import { gcpProjectId, ipv4Cidr } from "./primitives";
import type { RawStackConfig } from "./schema";

/** GKE release channels a cluster can be enrolled in (No channel is deprecated and refused for new customers). */
export const gkeReleaseChannels = ["RAPID", "REGULAR", "STABLE", "EXTENDED"] as const;
export type GkeReleaseChannel = (typeof gkeReleaseChannels)[number];

const gcpZone = z.string().regex(/^[a-z]+-[a-z]+\d+-[a-z]$/, "must be a GCP zone such as europe-west1-b");

/**
 * Where the stack runs after a region loss (`backup.failover`): a GKE cluster in `backup.replicaRegion`, in a subnet of
 * the stack's (global) VPC. Every key defaults from the primary's settings (config/gcpReplicaSite.ts), so a stack
 * fails over without any of them; set one only to choose it.
 */
const replicaSiteSection = z
  .object({
    /** Zones of the replica cluster's pools, in backup.replicaRegion. Default: every zone when gcp.zones is empty, else as many of the region's zones (facts/gcp/regions.json). */
    zones: z.array(gcpZone).optional(),
    /** The replica site's ranges in the same VPC. Default: for each primary range, the next free block of its size. */
    network: z
      .object({
        /** Primary range of the replica nodes' subnet. */
        nodesCidr: ipv4Cidr.optional(),
        /** Secondary range for the replica cluster's pods. */
        podsCidr: ipv4Cidr.optional(),
        /** Secondary range for the replica cluster's services. */
        servicesCidr: ipv4Cidr.optional(),
        /** /28 range of the replica cluster's private control plane. */
        masterCidr: ipv4Cidr.optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/** Google Cloud section of the stack config (`cloud: gcp`). */
export const gcpSection = z
  .object({
    /** Project id that holds every resource of the stack. */
    project: gcpProjectId,
    /** Region of the cluster, database and registry, such as europe-west1. */
    region: z.string().regex(/^[a-z]+-[a-z]+\d+$/, "must be a GCP region such as europe-west1"),
    /** Zones the node pools use; empty means every zone of the region. */
    zones: z.array(gcpZone).default([]),
    /** Encrypt Kubernetes Secrets with a Cloud KMS key of the project (GKE application-layer Secrets encryption). */
    secretsEncryption: z.boolean().default(true),
    /**
     * GKE release channel the cluster is enrolled in; it must offer cluster.kubernetesVersion. Default: EXTENDED when
     * cluster.supportPlan is extended, else REGULAR. A maintenance exclusion keeps minor and node upgrades off until the
     * pinned version's end of support either way.
     */
    releaseChannel: z.enum(gkeReleaseChannels, { error: `must be one of ${gkeReleaseChannels.join(", ")}` }).optional(),
    /**
     * Exact GKE version of the node pools, such as 1.35.8-gke.1036000 (`gcloud container get-server-config`); unset
     * leaves the nodes at the version they were created with. Set it to move the nodes after a control-plane upgrade.
     */
    nodeVersion: z
      .string()
      .regex(/^1\.\d{2}\.\d+-gke\.\d+$/, "must be an exact GKE version such as 1.35.8-gke.1036000")
      .optional(),
    /**
     * A date (YYYY-MM-DD) that names the generation of the service-account keys Gitpod 2022.11 needs (storage and
     * registry). Changing it makes new keys and deletes the old ones on the next `pulumi up` (docs/gcp.md).
     */
    keyRotation: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date such as 2026-12-01").default("2026-01-01"),
    /**
     * E-mail addresses Cloud Monitoring alerts go to (database replica lag, node-pool scale-up failures); empty: the
     * incidents show in the Cloud Monitoring console only.
     */
    alertEmails: z.array(z.email("must be an e-mail address such as ops@example.com")).default([]),
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
    /**
     * Where the stack runs after a region loss (backup.failover): a GKE cluster in backup.replicaRegion, in a subnet of
     * the stack's VPC. Every key defaults from the primary's settings; checked whenever there is a replica region.
     */
    replicaSite: replicaSiteSection.optional(),
  })
  .strict();

type GcpRawConfig = Extract<RawStackConfig, { cloud: "gcp" }>;

/** The release channel of a stack: the configured one, else the one its support plan needs. Pure. */
export function gkeReleaseChannelOf(raw: Pick<GcpRawConfig, "gcp" | "cluster">): GkeReleaseChannel {
  return raw.gcp.releaseChannel ?? (raw.cluster.supportPlan === "extended" ? "EXTENDED" : "REGULAR");
}

/** Checks the GCP keys that depend on other sections. Called from resolveDefaults, before anything is registered. */
export function checkGcp(raw: GcpRawConfig, ctx: z.RefinementCtx): void {
  const problem = (path: (string | number)[], input: unknown, message: string) => ctx.addIssue({ code: "custom", path, input, message });
  const channel = gkeReleaseChannelOf(raw);
  if (raw.cluster.supportPlan === "extended" && channel !== "EXTENDED") {
    problem(["gcp", "releaseChannel"], channel, "must be EXTENDED (or unset) with cluster.supportPlan extended: only GKE's Extended channel gives extended support");
  }
  if (raw.gcp.replicaSite !== undefined && raw.backup.replicaRegion === undefined) {
    problem(["gcp", "replicaSite"], raw.gcp.replicaSite, "needs backup.replicaRegion: the replica site is built in that region");
  }
  if (raw.backup.failover && raw.backup.replicaRegion !== undefined && !raw.backup.databaseReplica) {
    // The provider can restore a backup into a new instance (restore_backup_context), but it repeats that restore
    // whenever the chosen backup changes ("an imperative action", terraform-provider-google sql_database_instance
    // docs): a declared restore would overwrite the live database on a later `pulumi up`.
    problem(
      ["backup", "failover"],
      true,
      "needs backup.databaseReplica: true on gcp: the program fails over by promoting the cross-region Cloud SQL replica. A stack without one (set it before a region is lost) can only be rebuilt by hand in the surviving region from the database's backups (docs/gcp.md, Region failover)",
    );
  }
  const minor = raw.cluster.kubernetesVersion.split(".").slice(0, 2).join(".");
  if (raw.gcp.nodeVersion !== undefined) {
    const [major, nodeMinor] = raw.gcp.nodeVersion.split(".").map(Number);
    const planeMinor = Number(minor.split(".")[1]);
    if (major !== 1 || nodeMinor > planeMinor || nodeMinor < planeMinor - 2) {
      problem(["gcp", "nodeVersion"], raw.gcp.nodeVersion, `must be a ${minor} version or up to two minor versions older (GKE version skew), never newer than cluster.kubernetesVersion ${raw.cluster.kubernetesVersion}`);
    }
  }
}
