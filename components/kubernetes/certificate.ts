import * as k8s from "../../providers/sdk/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { IssuerName } from "./issuers";
import { caIssuerName } from "./selfSigned";
import { gitpodHostnames } from "./values";

/** The Certificate and the Secret the Gitpod installer's `certificate` block refers to. */
export const gitpodCertificateName = "https-certificates";

export interface GitpodCertificateInput {
  /** Namespace Gitpod runs in. */
  namespace: string;
  /** The stack's domain. */
  domain: string;
  /** The ClusterIssuer that signs it: a Let's Encrypt issuer, or the private CA of a test install. */
  issuer: IssuerName | typeof caIssuerName;
}

/** The wildcard Certificate (cert-manager.io/v1) for `<domain>`, `*.<domain>` and `*.ws.<domain>`. */
export function gitpodCertificate(input: GitpodCertificateInput): {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: Record<string, unknown>;
} {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: { name: gitpodCertificateName, namespace: input.namespace, labels: { "app.kubernetes.io/managed-by": "pulumi" } },
    spec: {
      secretName: gitpodCertificateName,
      issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: input.issuer },
      commonName: input.domain,
      dnsNames: gitpodHostnames(input.domain),
      // Let's Encrypt issues 90-day certificates; renew with a month to spare.
      duration: "2160h",
      renewBefore: "720h",
      privateKey: { algorithm: "RSA", size: 2048, rotationPolicy: "Always" },
      usages: ["digital signature", "key encipherment", "server auth"],
    },
  };
}

export interface GitpodCertificateArgs {
  /** Namespace Gitpod runs in (an Output of the Namespace, so the certificate waits for it). */
  namespace: pulumi.Output<string>;
  /** The stack's domain. */
  domain: string;
  /** The ClusterIssuer that signs it; give `dependsOn` the issuers. */
  issuer: IssuerName | typeof caIssuerName;
}

/** The Gitpod certificate as a cert-manager Certificate in the Gitpod namespace. */
export class GitpodCertificate extends pulumi.ComponentResource {
  readonly certificate: k8s.apiextensions.CustomResource;
  /** Name of the TLS Secret cert-manager writes (the installer's `certificate.name`). */
  readonly secretName: pulumi.Output<string>;

  constructor(name: string, args: GitpodCertificateArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:kubernetes:GitpodCertificate", name, {}, opts);
    const object = args.namespace.apply((namespace) => gitpodCertificate({ namespace, domain: args.domain, issuer: args.issuer }));
    this.certificate = new k8s.apiextensions.CustomResource(
      `${name}-certificate`,
      { apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: object.metadata, spec: object.spec },
      // Recorded on the certificate itself: a component's dependsOn is not in its children's dependencies, which order deletes.
      { parent: this, dependsOn: opts?.dependsOn },
    );
    this.secretName = pulumi.output(gitpodCertificateName);
    this.registerOutputs({ secretName: this.secretName });
  }
}
