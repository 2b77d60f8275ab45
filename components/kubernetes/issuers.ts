import * as k8s from "../../providers/sdk/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { letsEncryptServers } from "./versions";

/** The ClusterIssuers this layer declares; the names are the values of the stack config's `certificates.issuer`. */
export type IssuerName = keyof typeof letsEncryptServers;
export const issuerNames = Object.keys(letsEncryptServers) as IssuerName[];

export interface ClusterIssuerInput {
  /** letsencrypt-production or letsencrypt-staging. */
  name: IssuerName;
  /** ACME account contact. */
  email: string;
  /** The stack's domain: the solver answers challenges for this zone only. */
  domain: string;
  /** The `dns01` block for the stack's cloud, from the platform. */
  dns01: Record<string, unknown>;
}

/** A Let's Encrypt ClusterIssuer (cert-manager.io/v1) that solves DNS-01 in the stack's zone. */
export function clusterIssuer(input: ClusterIssuerInput): {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels: Record<string, string> };
  spec: Record<string, unknown>;
} {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "ClusterIssuer",
    metadata: { name: input.name, labels: { "app.kubernetes.io/managed-by": "pulumi" } },
    spec: {
      acme: {
        server: letsEncryptServers[input.name],
        email: input.email,
        // The ACME account key, created by cert-manager in its cluster resource namespace.
        privateKeySecretRef: { name: `${input.name}-account-key` },
        solvers: [{ selector: { dnsZones: [input.domain] }, dns01: input.dns01 }],
      },
    },
  };
}

export interface LetsEncryptIssuersArgs {
  /** ACME account contact for both issuers. */
  email: string;
  /** The stack's domain. */
  domain: string;
  /** The platform's DNS-01 solver block. */
  dns01: pulumi.Output<Record<string, unknown>>;
}

/** Both Let's Encrypt ClusterIssuers, production and staging. Give `dependsOn` the cert-manager chart. */
export class LetsEncryptIssuers extends pulumi.ComponentResource {
  readonly issuers: Record<IssuerName, k8s.apiextensions.CustomResource>;

  constructor(name: string, args: LetsEncryptIssuersArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:kubernetes:LetsEncryptIssuers", name, {}, opts);
    const entries = issuerNames.map((issuer) => {
      const object = args.dns01.apply((dns01) => clusterIssuer({ name: issuer, email: args.email, domain: args.domain, dns01 }));
      const resource = new k8s.apiextensions.CustomResource(
        `${name}-${issuer}`,
        { apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", metadata: object.metadata, spec: object.spec },
        // Recorded on the issuers themselves: a component's dependsOn is not in its children's dependencies, which order deletes.
        { parent: this, dependsOn: opts?.dependsOn },
      );
      return [issuer, resource] as const;
    });
    this.issuers = Object.fromEntries(entries) as Record<IssuerName, k8s.apiextensions.CustomResource>;
    this.registerOutputs({});
  }
}
