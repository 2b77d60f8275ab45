import * as YAML from "yaml";

export interface KubeconfigArgs {
  clusterName: string;
  endpoint: string;
  certificateAuthority: string;
  region: string;
  /** AWS CLI profile for `aws eks get-token`; unset uses the ambient credentials. */
  profile?: string;
}

/** A kubeconfig that authenticates with `aws eks get-token` (short-lived tokens, no static credentials). */
export function kubeconfig(args: KubeconfigArgs): string {
  const context = args.clusterName;
  return YAML.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: context, cluster: { server: args.endpoint, "certificate-authority-data": args.certificateAuthority } }],
    contexts: [{ name: context, context: { cluster: context, user: context } }],
    "current-context": context,
    preferences: {},
    users: [
      {
        name: context,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: ["eks", "get-token", "--cluster-name", args.clusterName, "--region", args.region, "--output", "json"],
            ...(args.profile ? { env: [{ name: "AWS_PROFILE", value: args.profile }] } : {}),
            interactiveMode: "Never",
            provideClusterInfo: false,
          },
        },
      },
    ],
  });
}
