import { z } from "zod";
import { email } from "./primitives";

/**
 * A recursive resolver cert-manager asks when it checks that a DNS-01 TXT record has propagated: `host:port`
 * (plain DNS) or an `https://` DNS-over-HTTPS endpoint, as cert-manager's --dns01-recursive-nameservers takes them.
 */
const recursiveNameserver = z
  .string()
  .regex(
    /^(https:\/\/[^\s,]+|(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?):\d{1,5})$/,
    "must be host:port (such as 8.8.8.8:53) or an https:// DNS-over-HTTPS URL",
  );

/** cert-manager and the Let's Encrypt issuers (Kubernetes layer). */
export const certificatesSection = z
  .object({
    /** ACME account contact for Let's Encrypt: expiry and policy mail goes here. */
    acmeEmail: email,
    /** Which ClusterIssuer signs the Gitpod certificate; staging avoids rate limits while testing. */
    issuer: z.enum(["letsencrypt-production", "letsencrypt-staging"]).default("letsencrypt-production"),
    /**
     * Public resolvers for the DNS-01 propagation check, used exclusively: the cluster's own DNS may be split-horizon
     * or cache the zone's NXDOMAIN, which stalls issuance.
     */
    recursiveNameservers: z
      .array(recursiveNameserver)
      .min(1, "must list at least one resolver")
      .default(["8.8.8.8:53", "1.1.1.1:53"]),
  })
  .strict();

/** external-dns, which publishes the Gitpod proxy's records in the stack's zone (Kubernetes layer). */
export const externalDnsSection = z
  .object({
    /**
     * sync also deletes records it owns once their source is gone; upsert-only never deletes; create-only never
     * changes an existing record. The zone belongs to this stack, so sync is the default.
     */
    policy: z.enum(["sync", "upsert-only", "create-only"]).default("sync"),
    /**
     * TXT-registry owner id: external-dns only changes records marked with it. Defaults to gitpod-<stack>.
     * Changing it orphans the records already published (see docs/kubernetes.md).
     */
    ownerId: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "must be 1-63 lowercase letters, digits or hyphens")
      .optional(),
  })
  .strict();
