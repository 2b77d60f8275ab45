import * as k8s from "../../providers/sdk/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ExternalDnsTarget, inClusterTools, WorkloadBinding } from "../platform";
import { pinnedChart } from "./chart";
import { fixedNamespace } from "./namespace";
import { externalDnsValues } from "./values";
import { externalDnsChart } from "./versions";

export interface ExternalDnsArgs {
  /** The platform's external-dns provider, flags, environment and config files. */
  target: ExternalDnsTarget;
  /** Service-account annotations and pod labels that bind external-dns to its cloud identity. */
  identity: WorkloadBinding;
  /** The stack's domain: the only zone external-dns may change. */
  domain: string;
  /** TXT-registry owner id. */
  ownerId: string;
  /** sync, upsert-only or create-only. */
  policy: "sync" | "upsert-only" | "create-only";
  /** Node labels of the services pool. */
  nodeSelector: Record<string, string>;
}

/** Secret that carries the platform's provider config files (e.g. Azure's azure.json). */
export const externalDnsConfigSecretName = "external-dns-provider-config";

/** external-dns from its official chart, rendered object by object (helm.sh/v4 Chart), in its own namespace. */
export class ExternalDns extends pulumi.ComponentResource {
  readonly namespace: pulumi.Output<string>;
  readonly chart: k8s.helm.v4.Chart;

  constructor(name: string, args: ExternalDnsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:kubernetes:ExternalDns", name, {}, opts);
    const tool = inClusterTools.externalDns;
    const namespace = fixedNamespace(`${name}-namespace`, tool.namespace, "restricted", { parent: this });
    this.namespace = namespace.metadata.name;

    let configSecret: k8s.core.v1.Secret | undefined;
    if (args.target.configFiles) {
      configSecret = new k8s.core.v1.Secret(
        `${name}-provider-config`,
        {
          metadata: { name: externalDnsConfigSecretName, namespace: this.namespace, labels: { "app.kubernetes.io/managed-by": "pulumi" } },
          type: "Opaque",
          stringData: pulumi.secret(args.target.configFiles),
        },
        { parent: this },
      );
    }

    const values = pulumi
      .all([
        args.identity.serviceAccountAnnotations,
        args.target.extraArgs,
        args.target.env ?? pulumi.output({} as Record<string, string>),
        configSecret ? configSecret.metadata.name : pulumi.output(undefined),
      ])
      .apply(([serviceAccountAnnotations, providerArgs, env, configSecretName]) =>
        externalDnsValues({
          provider: args.target.provider,
          domain: args.domain,
          ownerId: args.ownerId,
          policy: args.policy,
          providerArgs,
          env,
          serviceAccountName: tool.serviceAccount,
          identity: { serviceAccountAnnotations, podLabels: args.identity.podLabels },
          configSecretName,
          nodeSelector: args.nodeSelector,
        }),
      );
    this.chart = pinnedChart(`${name}-chart`, externalDnsChart, this.namespace, values, { parent: this, dependsOn: configSecret ? [configSecret] : [] });
    this.registerOutputs({ namespace: this.namespace });
  }
}
