import * as containerservice from "@pulumi/azure-native/containerservice";
import { Provider } from "@pulumi/azure-native/provider";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";

export interface AzureProviderArgs {
  /** Subscription every resource goes into. */
  subscriptionId: string;
  /** Default location. */
  location: string;
}

/**
 * An explicit azure-native provider for the stack's subscription and location, so that nothing depends on the
 * ambient `az account set` or `azure-native:*` settings. Credentials come from the environment (az login,
 * a service principal, managed identity or OIDC), as the provider reads them.
 */
export function azureProvider(name: string, args: AzureProviderArgs, opts?: pulumi.CustomResourceOptions): Provider {
  return new Provider(name, { subscriptionId: args.subscriptionId, location: args.location }, opts);
}

/** kubelogin's login modes (https://azure.github.io/kubelogin/concepts/login-modes.html). */
export type KubeloginMode = "azurecli" | "workloadidentity" | "spn" | "msi" | "devicecode";

export interface AksKubeconfigArgs {
  resourceGroupName: pulumi.Input<string>;
  clusterName: pulumi.Input<string>;
  /**
   * Local accounts are off: the kubeconfig is the Entra ID user credential, logging in through kubelogin.
   * Otherwise it is the cluster-admin (local account) credential.
   */
  entraIdOnly: boolean;
  /** How kubelogin gets its token when entraIdOnly. */
  kubeloginMode: KubeloginMode;
}

/**
 * The kubeconfig of an AKS cluster, as a secret. With local accounts disabled (production) it is the user
 * credential in `exec` format, with kubelogin switched from its interactive default to the configured login
 * mode; with local accounts on, the admin credential.
 */
export function aksKubeconfig(
  args: AksKubeconfigArgs,
  opts: pulumi.InvokeOutputOptions & { dependsOn?: pulumi.Input<pulumi.Resource>[] },
): pulumi.Output<string> {
  const query = { resourceGroupName: args.resourceGroupName, resourceName: args.clusterName };
  const credentials = args.entraIdOnly
    ? containerservice.listManagedClusterUserCredentialsOutput({ ...query, format: "exec" }, opts)
    : containerservice.listManagedClusterAdminCredentialsOutput(query, opts);
  return pulumi.secret(
    credentials.apply((result) => {
      const first = result.kubeconfigs?.[0]?.value;
      if (!first) throw new Error(`AKS returned no kubeconfig for cluster ${String(args.clusterName)}`);
      const text = Buffer.from(first, "base64").toString("utf8");
      return args.entraIdOnly ? withKubeloginMode(text, args.kubeloginMode) : text;
    }),
  );
}

/**
 * Rewrites every kubelogin exec credential of a kubeconfig to log in with the given mode (`--login <mode>`);
 * other users are left as they are. Pure; the input is the YAML AKS returns.
 */
export function withKubeloginMode(kubeconfigYaml: string, mode: KubeloginMode): string {
  const doc = YAML.parse(kubeconfigYaml) as { users?: { user?: { exec?: { command?: string; args?: string[] } } }[] };
  for (const entry of doc.users ?? []) {
    const exec = entry.user?.exec;
    if (!exec || !/(^|\/)kubelogin(\.exe)?$/.test(exec.command ?? "")) continue;
    const args = [...(exec.args ?? [])];
    const at = args.indexOf("--login");
    if (at >= 0) args.splice(at, 2);
    const inline = args.findIndex((arg) => arg.startsWith("--login="));
    if (inline >= 0) args.splice(inline, 1);
    // --client-id in AKS's kubeconfig is the Azure CLI's public client, which only devicecode uses; the other modes
    // take their client from their own source (az login, AZURE_CLIENT_ID, the managed identity).
    const keep = mode === "devicecode" ? args : dropFlags(args, ["--client-id"]);
    exec.args = [...keep, "--login", mode];
  }
  return YAML.stringify(doc);
}

function dropFlags(args: string[], flags: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (flags.includes(args[i])) {
      i++;
      continue;
    }
    if (flags.some((flag) => args[i].startsWith(`${flag}=`))) continue;
    out.push(args[i]);
  }
  return out;
}
