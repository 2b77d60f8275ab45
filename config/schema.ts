import { z } from "zod";
import { awsSection } from "./aws";
import { azureSection } from "./azure";
import { backupSection, restoreSection } from "./backup";
import { certificatesSection, externalDnsSection } from "./certificates";
import { existingSection, keysNotForExisting, notForExisting } from "./existing";
import { gcpSection } from "./gcp";
import { gitpodConfigKeys } from "./gitpod";
import { domainName, flag } from "./primitives";
import { veleroSection } from "./velero";
import { clusterSection, databaseSection, dnsSection, nodePoolsSection } from "./sections";

/**
 * The whole stack config as it is written in Pulumi.<stack>.yaml, under the project's namespace.
 * One schema per cloud, chosen by `cloud`; the sections every cloud shares are spread into each.
 */
const shared = {
  /** production turns on protection of data resources, deletion protection and high availability. */
  environment: z.enum(["production", "development"]),
  /** Domain Gitpod is served on; the stack's DNS zone is created for it. */
  domain: domainName,
  /** Protect data resources (databases, buckets, registry, DNS zone) from deletion. Defaults to production. */
  protect: flag.optional(),
  /** Kubernetes control plane settings shared by every cloud. */
  cluster: clusterSection.prefault({}),
  /** The three node pools of the reference architecture; unset keys take the cloud's defaults (table above). */
  nodePools: nodePoolsSection.prefault({}),
  /** The managed MySQL database Gitpod uses (Cloud SQL, RDS, Azure Database for MySQL). */
  database: databaseSection.prefault({}),
  /** The public DNS zone created for `domain`. */
  dns: dnsSection.prefault({}),
  /** cert-manager's Let's Encrypt account and the issuer of Gitpod's wildcard certificate. */
  certificates: certificatesSection,
  ...gitpodConfigKeys,
  /** external-dns, which publishes Gitpod's records in the zone. */
  externalDns: externalDnsSection.prefault({}),
  /** Velero backups, the backup bucket and its replication to a second region. */
  backup: backupSection.prefault({}),
  /** Set only while restoring after a disaster; see docs/disaster-recovery.md. */
  restore: restoreSection.optional(),
  /** Velero in the cluster: how volumes are backed up, how long a restore may take. */
  velero: veleroSection.prefault({}),
};

export const rawStackSchema = z.discriminatedUnion(
  "cloud",
  [
    z
      .object({
        /** The cloud this stack builds on; chooses which cloud section is read. */
        cloud: z.literal("gcp"),
        /** Google Cloud: project, region, zones, network. */
        gcp: gcpSection,
        ...shared,
      })
      .strict(),
    z
      .object({
        cloud: z.literal("aws"),
        /** Amazon Web Services: region, network, node image, access. */
        aws: awsSection,
        ...shared,
      })
      .strict(),
    z
      .object({
        cloud: z.literal("azure"),
        /** Microsoft Azure: location, network, cluster, database, storage, registry. */
        azure: azureSection,
        ...shared,
      })
      .strict(),
    z
      .object({
        cloud: z.literal("existing"),
        /** A cluster you already run (k3s or any kubeconfig): nodes, Gitpod's dependencies, DNS-01 solver, backups. */
        existing: existingSection,
        ...shared,
        nodePools: notForExisting(keysNotForExisting.nodePools),
        database: notForExisting(keysNotForExisting.database),
        dns: notForExisting(keysNotForExisting.dns),
      })
      .strict(),
  ],
  { error: "must be one of gcp, aws, azure, existing" },
);

export type RawStackConfig = z.output<typeof rawStackSchema>;
