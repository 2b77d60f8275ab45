import * as k8s from "../../providers/sdk/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { inClusterTools, WorkloadBinding } from "../platform";
import { pinnedChart } from "./chart";
import { fixedNamespace } from "./namespace";
import { certManagerValues } from "./values";
import { certManagerChart } from "./versions";

export interface CertManagerArgs {
  /** Service-account annotations and pod labels that bind the controller to its cloud identity. */
  identity: WorkloadBinding;
  /** Resolvers for the DNS-01 propagation check. */
  recursiveNameservers: string[];
  /** Node labels of the services pool, where every cert-manager pod runs. */
  nodeSelector: Record<string, string>;
  /** Run two replicas of each deployment with disruption budgets (production). */
  highAvailability: boolean;
}

/**
 * cert-manager from its official chart, rendered object by object by the Kubernetes provider (helm.sh/v4 Chart),
 * CRDs included, in its own namespace. Depend on this component to wait until every object, the webhook
 * included, is ready.
 */
export class CertManager extends pulumi.ComponentResource {
  /** The namespace cert-manager runs in (and keeps the ACME account keys of ClusterIssuers in). */
  readonly namespace: pulumi.Output<string>;
  readonly chart: k8s.helm.v4.Chart;

  constructor(name: string, args: CertManagerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:kubernetes:CertManager", name, {}, opts);
    const tool = inClusterTools.certManager;
    const namespace = fixedNamespace(`${name}-namespace`, tool.namespace, "restricted", { parent: this });
    this.namespace = namespace.metadata.name;

    const values = args.identity.serviceAccountAnnotations.apply((serviceAccountAnnotations) =>
      certManagerValues({
        serviceAccountName: tool.serviceAccount,
        identity: { serviceAccountAnnotations, podLabels: args.identity.podLabels },
        recursiveNameservers: args.recursiveNameservers,
        nodeSelector: args.nodeSelector,
        highAvailability: args.highAvailability,
      }),
    );
    this.chart = pinnedChart(`${name}-chart`, certManagerChart, this.namespace, values, {
      parent: this,
      transforms: [retainCustomResourceDefinitions, waitForInjectedCaBundle],
    });
    this.registerOutputs({ namespace: this.namespace });
  }
}

/**
 * Deleting a CRD deletes every object of its kind: removing or replacing the chart must never take the
 * Certificates and their Secrets with it. The chart's CRDs are therefore kept in the cluster on delete.
 */
export const retainCustomResourceDefinitions: pulumi.ResourceTransform = (args) => {
  if (args.type !== "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition") return undefined;
  return { props: args.props, opts: pulumi.mergeOptions(args.opts, { retainOnDelete: true }) };
};

/**
 * The webhook Deployment can be ready before cainjector has written the CA into the webhook configurations; until
 * then the API server cannot call the webhook and the first ClusterIssuer create fails with an x509 error, which the
 * Kubernetes provider does not retry. The chart's `startupapicheck` Job waited for this, but it is a Helm hook, which
 * the Chart resource skips; so Pulumi waits for the injected `caBundle` instead, and whatever depends on cert-manager
 * (the issuers, the Certificate, Gitpod) waits with it.
 */
export const waitForInjectedCaBundle: pulumi.ResourceTransform = (args) => {
  if (!/^kubernetes:admissionregistration\.k8s\.io\/v1:(Validating|Mutating)WebhookConfiguration$/.test(args.type)) return undefined;
  const metadata = (args.props.metadata ?? {}) as { annotations?: Record<string, string> };
  const annotations = { ...metadata.annotations, "pulumi.com/waitFor": "jsonpath={.webhooks[0].clientConfig.caBundle}" };
  return { props: { ...args.props, metadata: { ...metadata, annotations } }, opts: args.opts };
};
