import { z } from "zod";
import { awsSection } from "./aws";
import { azureSection } from "./azure";
import { backupSection, restoreSection } from "./backup";
import { certificatesSection, externalDnsSection } from "./certificates";
import { gcpSection } from "./gcp";
import { gitpodConfigKeys } from "./gitpod";
import { domainName, flag } from "./primitives";
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
  cluster: clusterSection.prefault({}),
  nodePools: nodePoolsSection.prefault({}),
  database: databaseSection.prefault({}),
  dns: dnsSection.prefault({}),
  certificates: certificatesSection,
  ...gitpodConfigKeys,
  externalDns: externalDnsSection.prefault({}),
  backup: backupSection.prefault({}),
  /** Set only while restoring after a disaster; see docs/disaster-recovery.md. */
  restore: restoreSection.optional(),
};

export const rawStackSchema = z.discriminatedUnion(
  "cloud",
  [
    z.object({ cloud: z.literal("gcp"), gcp: gcpSection, ...shared }).strict(),
    z.object({ cloud: z.literal("aws"), aws: awsSection, ...shared }).strict(),
    z.object({ cloud: z.literal("azure"), azure: azureSection, ...shared }).strict(),
  ],
  { error: "must be one of gcp, aws, azure" },
);

export type RawStackConfig = z.output<typeof rawStackSchema>;
