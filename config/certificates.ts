import { z } from "zod";
import { email } from "./primitives";

/** cert-manager and the Let's Encrypt issuers (Kubernetes layer). */
export const certificatesSection = z
  .object({
    /** ACME account contact for Let's Encrypt: expiry and policy mail goes here. */
    acmeEmail: email,
    /** Which ClusterIssuer signs the Gitpod certificate; staging avoids rate limits while testing. */
    issuer: z.enum(["letsencrypt-production", "letsencrypt-staging"]).default("letsencrypt-production"),
  })
  .strict();
