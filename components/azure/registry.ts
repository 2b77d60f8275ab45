import * as containerregistry from "@pulumi/azure-native/containerregistry";
import * as pulumi from "@pulumi/pulumi";
import { grantRole } from "./grant";
import { lockAgainstDelete } from "./locks";
import { roleDefinitionId } from "./roles";
import { mirrorRepositoryPaths } from "../gitpodImages/images";
import { ContainerRegistry, ImageMirror } from "../platform";

export interface AcrRegistryArgs {
  /** Resource group of the registry. */
  resourceGroupName: pulumi.Input<string>;
  /** Location of the registry. */
  location: string;
  /** Registry name (global: <name>.azurecr.io). */
  registryName: string;
  /** SKU: Premium (zone redundancy) in production, Standard otherwise. */
  sku: "Basic" | "Standard" | "Premium";
  /** Password of the Gitpod token, generated out of band (see docs/azure.md); undefined until then. */
  tokenPassword?: pulumi.Input<string>;
  /** When that password expires (YYYY-MM-DD). */
  tokenPasswordExpiry?: string;
  /** Today (YYYY-MM-DD), against which the expiry is checked. */
  today: string;
  /** Subscription, for the AcrPull role definition id. */
  subscriptionId: string;
  /** Object id of the AKS kubelet identity, which pulls mirrored images from the registry (AcrPull). */
  kubeletObjectId: pulumi.Input<string>;
  /** A CanNotDelete lock on the registry. */
  lock: boolean;
  /** Protect the registry (Pulumi protect). */
  protect: boolean;
  /**
   * The paired region a Premium registry geo-replicates to (`backup.replicaRegion`), and whether it has zones. Declared
   * before any loss: ACR serves pushes and pulls from the surviving replica under the same login server, token and
   * role assignments while its home region is down (only registry configuration changes stop; ACR geo-replication docs).
   */
  replica?: { location: string; zoned: boolean };
  /** Tags for the registry. */
  tags: Record<string, string>;
}

/** Path under the registry Gitpod pushes to (installer `containerRegistry.external.url` = <login server>/gitpod). */
export const gitpodRepositoryPrefix = "gitpod";
/** The repositories Gitpod's image builder pushes base and workspace images to, under the prefix. */
export const gitpodRepositories = ["base-images", "workspace-images"];
/** What Gitpod does with them: push and pull, read tags. No delete, nothing outside these repositories. */
export const gitpodRepositoryActions = ["content/read", "content/write", "metadata/read"];
/** Path under the prefix that holds the mirror of Gitpod's images (components/kubernetes/gitpod/mirror). */
export const imageMirrorPath = "mirror";

/**
 * The same token reads and writes the mirror's repositories, each named (no wildcard): the copy Job pushes with it and
 * registry-facade pulls with it. The kubelet pulls with its identity's AcrPull.
 */
export function mirrorScopeActions(paths: string[] = mirrorRepositoryPaths()): string[] {
  return paths.flatMap((path) => gitpodRepositoryActions.map((action) => `repositories/${gitpodRepositoryPrefix}/${imageMirrorPath}/${path}/${action}`));
}

/** Name of the token Gitpod logs in with (the docker user name). */
export const gitpodTokenName = "gitpod";

/** The scope map's actions: every Gitpod action on every Gitpod repository, and nothing else. Pure. */
export function gitpodScopeActions(): string[] {
  return gitpodRepositories.flatMap((repo) =>
    gitpodRepositoryActions.map((action) => `repositories/${gitpodRepositoryPrefix}/${repo}/${action}`),
  );
}

/** Days before the token password's expiry from which every plan warns. */
export const tokenExpiryWarningDays = 30;

/**
 * What to warn about the Gitpod token's password: Azure only hands a token password out in the response of
 * `generateCredentials`, which azure-native 3.x has no function for (containerregistry has only listRegistryCredentials,
 * the admin user's), so the program cannot rotate it and tracks its expiry instead. Undefined when all is well. Pure.
 */
export function tokenPasswordWarning(registryName: string, hasPassword: boolean, expiry: string | undefined, today: string): string | undefined {
  const generate = `az acr token credential generate --registry ${registryName} --name ${gitpodTokenName} --password1 --expiration-in-days 365 --query "passwords[0].value" -o tsv`;
  if (!hasPassword) {
    return `Gitpod cannot push workspace images until the ACR token has a password: after this update, run \`${generate}\` and store it with \`pulumi config set --secret --path azure.registry.tokenPassword\` (docs/azure.md).`;
  }
  if (expiry === undefined) {
    return `The ACR token password's expiry is not recorded: set azure.registry.tokenPasswordExpiry (YYYY-MM-DD) so that the plan warns before it lapses.`;
  }
  const daysLeft = Math.floor((Date.parse(expiry) - Date.parse(today)) / 86_400_000);
  if (daysLeft < 0) return `The ACR token password expired on ${expiry}: Gitpod's image builds fail. Rotate it: \`${generate.replace("--password1", "--password2")}\` (docs/azure.md).`;
  if (daysLeft <= tokenExpiryWarningDays) return `The ACR token password expires on ${expiry} (in ${daysLeft} days): rotate it with --password2 (docs/azure.md).`;
  return undefined;
}

/**
 * Azure Container Registry for Gitpod's workspace images, with the admin user off: Gitpod logs in with a token
 * bound to a scope map that allows push and pull on its two repositories only.
 */
export class AcrRegistry extends pulumi.ComponentResource {
  readonly registry: containerregistry.Registry;
  readonly token: containerregistry.Token;
  readonly containerRegistry: ContainerRegistry;
  readonly imageMirror: ImageMirror;

  constructor(name: string, args: AcrRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:azure:Registry", name, {}, opts);
    this.registry = new containerregistry.Registry(
      `${name}-acr`,
      {
        resourceGroupName: args.resourceGroupName,
        registryName: args.registryName,
        location: args.location,
        sku: { name: args.sku },
        adminUserEnabled: false,
        anonymousPullEnabled: false,
        publicNetworkAccess: "Enabled",
        zoneRedundancy: args.sku === "Premium" ? "Enabled" : "Disabled",
        tags: args.tags,
      },
      { parent: this, protect: args.protect },
    );
    if (args.replica !== undefined && args.sku === "Premium") {
      new containerregistry.Replication(
        `${name}-replica`,
        {
          resourceGroupName: args.resourceGroupName,
          registryName: this.registry.name,
          replicationName: args.replica.location,
          location: args.replica.location,
          regionEndpointEnabled: true,
          zoneRedundancy: args.replica.zoned ? "Enabled" : "Disabled",
          tags: args.tags,
        },
        { parent: this },
      );
    }
    const scopeMap = new containerregistry.ScopeMap(
      `${name}-scope-map`,
      {
        resourceGroupName: args.resourceGroupName,
        registryName: this.registry.name,
        scopeMapName: "gitpod-push-pull",
        description: "Gitpod image builder and registry-facade: push and pull on Gitpod's repositories only",
        actions: [...gitpodScopeActions(), ...mirrorScopeActions()],
      },
      { parent: this },
    );
    this.token = new containerregistry.Token(
      `${name}-token`,
      {
        resourceGroupName: args.resourceGroupName,
        registryName: this.registry.name,
        tokenName: gitpodTokenName,
        scopeMapId: scopeMap.id,
        status: "enabled",
      },
      // Passwords are generated with `az acr token credential generate`; Pulumi must not reset them.
      { parent: this, ignoreChanges: ["credentials"] },
    );
    const warning = tokenPasswordWarning(args.registryName, args.tokenPassword !== undefined, args.tokenPasswordExpiry, args.today);
    if (warning !== undefined) pulumi.log.warn(warning, this);
    // Images mirrored into the registry (docs/gitpod.md) are pulled by the nodes' kubelet, not with Gitpod's token.
    grantRole(
      `${name}-kubelet-acr-pull`,
      {
        principalId: args.kubeletObjectId,
        principalType: "ServicePrincipal",
        roleDefinitionId: roleDefinitionId(args.subscriptionId, "acrPull"),
        scope: this.registry.id,
        description: "AKS kubelet: pull mirrored images",
      },
      { parent: this },
    );
    if (args.lock) lockAgainstDelete(`${name}-lock`, this.registry.id, "workspace images", { parent: this });
    this.containerRegistry = {
      kind: "external",
      url: pulumi.interpolate`${this.registry.loginServer}/${gitpodRepositoryPrefix}`,
      server: this.registry.loginServer,
      username: this.token.name,
      password: pulumi.secret(args.tokenPassword ?? ""),
    };
    this.imageMirror = {
      repository: pulumi.interpolate`${this.registry.loginServer}/${gitpodRepositoryPrefix}/${imageMirrorPath}`,
      push: { server: this.registry.loginServer, username: this.token.name, password: pulumi.secret(args.tokenPassword ?? "") },
      pull: "registryPullSecret",
    };
    this.registerOutputs({ loginServer: this.registry.loginServer, tokenName: this.token.name });
  }
}
