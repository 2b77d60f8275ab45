import * as k8s from "../../../providers/sdk/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { GitpodConfig } from "../../../config/gitpod";
import { Platform } from "../../platform";
import { authProviderSecretName, secretNames } from "./installerConfig";
import { databaseConnectionProblems, GitpodPreconditionError } from "./preconditions";

/**
 * The Kubernetes Secrets the installer config refers to, built from Pulumi secrets so that no credential is ever
 * plain text in the state or in the plan. Data keys are the ones Gitpod 2022.11 reads (the installer's
 * `validate cluster` checks them: install/installer/pkg/config/v1/validation.go).
 */

/** `.dockerconfigjson` for one registry (the format `kubectl create secret docker-registry` writes). */
export function dockerConfigJson(server: string, username: string, password: string): string {
  const auth = Buffer.from(`${username}:${password}`).toString("base64");
  return JSON.stringify({ auths: { [server]: { username, password, auth } } });
}

/** The `encryptionKeys` value Gitpod's server and its database session job read: one primary key, version 1. */
export function encryptionKeysJson(material: string): string {
  return JSON.stringify([{ name: "general", version: 1, primary: true, material }]);
}

/** One auth provider as the server reads it from `<secret>/provider` (AuthProviderParams, YAML). */
export function authProviderYaml(
  provider: GitpodConfig["authProviders"][number],
  clientSecret: string,
  domain: string,
): string {
  const oauth: Record<string, string> = {
    clientId: provider.clientId,
    clientSecret,
    callBackUrl: `https://${domain}/auth/${provider.host}/callback`,
  };
  if (provider.settingsUrl) oauth.settingsUrl = provider.settingsUrl;
  return YAML.stringify({
    id: provider.id,
    host: provider.host,
    type: provider.type,
    ...(provider.description ? { description: provider.description } : {}),
    oauth,
  });
}

export interface GitpodSecretsArgs {
  /** Namespace Gitpod runs in. */
  namespace: pulumi.Input<string>;
  /** The stack's platform (database, objectStorage, registry, domain). */
  platform: Platform;
  /** The validated `gitpod` config section (no secrets in it). */
  gitpod: GitpodConfig;
  /** Client secret of each auth provider by id (Pulumi secret). */
  authClientSecrets: pulumi.Output<Record<string, string>>;
  /** License key (Pulumi secret), when the stack has a license. */
  licenseKey?: pulumi.Output<string>;
  /** Base64 of the 32-byte database encryption key (Pulumi secret). */
  encryptionKey: pulumi.Output<string>;
  /** The SSH gateway's host key, OpenSSH format (Pulumi secret), when the gateway is on. */
  sshHostKey?: pulumi.Output<string>;
  /** What every Secret waits for (the namespace, through the Kubernetes layer's certificate). */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** Creates every Secret the installer config names; `secrets` lists them for the install Job to depend on. */
export class GitpodSecrets extends pulumi.ComponentResource {
  readonly secrets: k8s.core.v1.Secret[] = [];

  constructor(name: string, args: GitpodSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:kubernetes:GitpodSecrets", name, {}, opts);
    const { platform, namespace } = args;
    // Each value is a Pulumi secret on its own, so the plan shows which keys a Secret has but never a value.
    const add = (part: string, secretName: string, data: Record<string, pulumi.Input<string>>, type = "Opaque") => {
      const stringData = Object.fromEntries(Object.entries(data).map(([key, value]) => [key, pulumi.secret(value)]));
      const secret = new k8s.core.v1.Secret(
        `${name}-${part}`,
        {
          metadata: { name: secretName, namespace, labels: { app: "gitpod", "app.kubernetes.io/managed-by": "pulumi" } },
          type,
          stringData,
        },
        { parent: this, dependsOn: args.dependsOn },
      );
      this.secrets.push(secret);
    };

    const db = platform.database;
    if (db.kind === "external") {
      add(
        "database",
        secretNames.database,
        byKey(
          pulumi.all([db.host, db.port, db.username, db.password, args.encryptionKey]).apply(([host, port, username, password, material]) => {
            throwOnProblems(databaseConnectionProblems({ host, port, username, password }));
            return { host, port: String(port), username, password, encryptionKeys: encryptionKeysJson(material) };
          }),
          ["host", "port", "username", "password", "encryptionKeys"],
        ),
      );
      if (db.caCertificate) add("database-ca", secretNames.databaseCa, { "ca.crt": db.caCertificate });
    }

    const storage = platform.objectStorage;
    if (storage.kind === "gcs") {
      add("storage", secretNames.storageGcs, { "service-account.json": storage.serviceAccountKey });
    } else if (storage.kind === "s3") {
      add("storage", secretNames.storageS3, { accessKeyId: storage.accessKeyId, secretAccessKey: storage.secretAccessKey });
    } else if (storage.kind === "azure") {
      add("storage", secretNames.storageAzure, { accountName: storage.accountName, accountKey: storage.accountKey });
    }

    const registry = platform.registry;
    if (registry.kind === "external") {
      add(
        "registry",
        secretNames.registry,
        { ".dockerconfigjson": pulumi.all([registry.server, registry.username, registry.password]).apply(([s, u, p]) => dockerConfigJson(s, u, p)) },
        "kubernetes.io/dockerconfigjson",
      );
    } else if (registry.kind === "inClusterS3") {
      add("registry", secretNames.registryS3, { s3AccessKey: registry.accessKeyId, s3SecretKey: registry.secretAccessKey });
    }

    for (const provider of args.gitpod.authProviders) {
      add(`auth-${provider.id.toLowerCase()}`, authProviderSecretName(provider.id), {
        provider: args.authClientSecrets.apply((secrets) => authProviderYaml(provider, secrets[provider.id], platform.domain)),
      });
    }

    if (args.sshHostKey) add("ssh-host-key", secretNames.sshGatewayHostKey, { "host.key": args.sshHostKey });

    if (args.gitpod.license) {
      if (!args.licenseKey) throw new Error("gitpod.license is configured but no license key was passed to GitpodSecrets");
      add("license", secretNames.license, { license: args.licenseKey, type: args.gitpod.license.type });
    }

    this.registerOutputs({ secrets: this.secrets.map((s) => s.metadata.name) });
  }
}

/** One Output per key of an Output record (the checks above run once, for all keys). */
function byKey<T extends Record<string, string>>(values: pulumi.Output<T>, keys: (keyof T & string)[]): Record<string, pulumi.Output<string>> {
  return Object.fromEntries(keys.map((key) => [key, values.apply((v): string => v[key])]));
}

function throwOnProblems(problems: string[]): void {
  if (problems.length > 0) throw new GitpodPreconditionError(problems);
}
