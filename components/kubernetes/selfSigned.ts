import * as k8s from "../../providers/sdk/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/**
 * A private CA for test installs (`platform.dns.issuer: selfSigned`): a self-signed ClusterIssuer signs a CA
 * certificate, and a CA ClusterIssuer built on it signs Gitpod's certificate. Browsers and Git clients do not trust
 * it; Gitpod's own components do, through the installer's `customCACert` (the `ca.crt` of Gitpod's TLS Secret,
 * which cert-manager's CA issuer fills in).
 */

/** The self-signed ClusterIssuer that signs only the CA certificate. */
export const selfSignedIssuerName = "gitpod-selfsigned";
/** The CA ClusterIssuer that signs Gitpod's certificate; also the CA certificate's and its Secret's name. */
export const caIssuerName = "gitpod-ca";

type KubernetesObject = { apiVersion: string; kind: string; metadata: Record<string, unknown>; spec: Record<string, unknown> };

const labels = { "app.kubernetes.io/managed-by": "pulumi" };

/** The three cert-manager objects of the private CA. `namespace` is cert-manager's (where a ClusterIssuer's CA Secret must be). */
export function selfSignedCaObjects(input: { domain: string; namespace: string }): {
  selfSignedIssuer: KubernetesObject;
  caCertificate: KubernetesObject;
  caIssuer: KubernetesObject;
} {
  return {
    selfSignedIssuer: {
      apiVersion: "cert-manager.io/v1",
      kind: "ClusterIssuer",
      metadata: { name: selfSignedIssuerName, labels: { ...labels } },
      spec: { selfSigned: {} },
    },
    caCertificate: {
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      metadata: { name: caIssuerName, namespace: input.namespace, labels: { ...labels } },
      spec: {
        isCA: true,
        commonName: `Gitpod ${input.domain} test CA`,
        secretName: caIssuerName,
        // Ten years, renewed a year ahead: a renewed CA invalidates the trust operators placed in the old one.
        duration: "87600h",
        renewBefore: "8760h",
        privateKey: { algorithm: "ECDSA", size: 256 },
        issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: selfSignedIssuerName },
      },
    },
    caIssuer: {
      apiVersion: "cert-manager.io/v1",
      kind: "ClusterIssuer",
      metadata: { name: caIssuerName, labels: { ...labels } },
      spec: { ca: { secretName: caIssuerName } },
    },
  };
}

export interface SelfSignedCaArgs {
  /** The stack's domain, named in the CA's common name. */
  domain: string;
  /** cert-manager's namespace (its cluster resource namespace). */
  namespace: pulumi.Output<string>;
  /** What must be ready first: the cert-manager chart (its CRDs and webhook). */
  after: pulumi.Resource[];
}

/** The private CA's issuers and certificate, after cert-manager (`after`). */
export class SelfSignedCa extends pulumi.ComponentResource {
  /** The ClusterIssuer that signs Gitpod's certificate. */
  readonly caIssuer: k8s.apiextensions.CustomResource;

  constructor(name: string, args: SelfSignedCaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:kubernetes:SelfSignedCa", name, {}, opts);
    const objects = args.namespace.apply((namespace) => selfSignedCaObjects({ domain: args.domain, namespace }));
    const declare = (part: string, key: keyof ReturnType<typeof selfSignedCaObjects>, kind: string, dependsOn: pulumi.Resource[]) =>
      new k8s.apiextensions.CustomResource(
        `${name}-${part}`,
        {
          apiVersion: "cert-manager.io/v1",
          kind,
          metadata: objects.apply((o) => o[key].metadata as k8s.types.input.meta.v1.ObjectMeta),
          spec: objects.apply((o) => o[key].spec),
        },
        // Recorded on each object: a component's dependsOn is not in its children's dependencies, which order deletes.
        { parent: this, dependsOn: [...args.after, ...dependsOn] },
      );
    const selfSigned = declare("selfsigned-issuer", "selfSignedIssuer", "ClusterIssuer", []);
    const caCertificate = declare("ca-certificate", "caCertificate", "Certificate", [selfSigned]);
    this.caIssuer = declare("ca-issuer", "caIssuer", "ClusterIssuer", [caCertificate]);
    this.registerOutputs({});
  }
}

/** The Secret with the DNS-01 solver's credentials, in cert-manager's namespace, data a Pulumi secret. */
export function dns01CredentialsSecret(
  name: string,
  args: { secretName: string; namespace: pulumi.Output<string>; data: pulumi.Output<Record<string, string>> },
  opts: pulumi.CustomResourceOptions,
): k8s.core.v1.Secret {
  return new k8s.core.v1.Secret(
    name,
    {
      metadata: { name: args.secretName, namespace: args.namespace, labels: { ...labels } },
      type: "Opaque",
      stringData: pulumi.secret(args.data),
    },
    opts,
  );
}
