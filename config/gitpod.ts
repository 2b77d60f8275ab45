import { z } from "zod";
import { intBetween } from "./primitives";

/**
 * The `gitpod` section of the stack config: what the Gitpod installer config takes from the operator (the rest
 * comes from the platform). Secret values (OAuth client secrets, the license, an imported database encryption key)
 * live inside this section and must be set with `pulumi config set --secret --path ...`; the schema checks that
 * they are present and then strips them, so the validated StackConfig never holds a secret in plain text. The
 * Gitpod component reads them again as Pulumi secrets (see `gitpodSecretConfig`).
 */

/** Upstream registry of Gitpod's images, as the 2022.11 installer defaults it. */
export const upstreamImageRepository = "eu.gcr.io/gitpod-core-dev/build";
/** The last self-hosted release of Gitpod. */
export const defaultGitpodVersion = "2022.11.3";

/** Same rule as the installer's `block_new_users_passlist` validation (go-playground's fqdn regex). */
const fqdnRfc1123 = /^([a-zA-Z0-9]{1}[a-zA-Z0-9-]{0,62})(\.[a-zA-Z0-9]{1}[a-zA-Z0-9-]{0,62})*?(\.[a-zA-Z]{1}[a-zA-Z0-9]{0,62})\.?$/;

/** A Kubernetes resource quantity as Gitpod's workspace requests take it: 1000m, 1, 0.5, 2Gi, 512Mi. */
const quantity = z
  .string()
  .regex(/^\d+(\.\d+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/, "must be a Kubernetes quantity such as 1000m, 2, 2Gi or 512Mi");

/** A Go duration as the installer parses it: 36h, 30m, 1h30m. */
const goDuration = z.string().regex(/^(\d+(h|m|s))+$/, "must be a Go duration such as 36h, 30m or 1h30m");

/** A container image repository prefix without tag: host[:port]/path. */
const imageRepository = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/,
    "must be an image repository without tag or trailing slash, such as eu.gcr.io/gitpod-core-dev/build or europe-docker.pkg.dev/my-project/gitpod-mirror",
  );

const nonEmptySecret = z.string({ error: "must be set as a secret: pulumi config set --secret --path ..." }).min(1, "must not be empty");

const authProvider = z
  .object({
    /** Unique id of the provider, shown in Gitpod; also names its Kubernetes Secret. */
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,50}$/, "must be letters, digits and hyphens (at most 51), such as Public-GitHub"),
    /** Host of the Git provider, such as github.com or gitlab.example.com. */
    host: z.string().regex(fqdnRfc1123, "must be a host name such as github.com"),
    /** Provider type as Gitpod 2022.11 knows it. */
    type: z.enum(["GitHub", "GitLab", "Bitbucket", "BitbucketServer"]),
    /** OAuth application client id (not secret). */
    clientId: z.string().min(1, "must not be empty"),
    /** OAuth application client secret: set it with `pulumi config set --secret --path gitpod.authProviders[N].clientSecret`. */
    clientSecret: nonEmptySecret,
    /** Where users manage the OAuth app's access, e.g. https://github.com/settings/connections/applications/<clientId>. */
    settingsUrl: z.url("must be a URL").optional(),
    /** Text shown on the login page. */
    description: z.string().optional(),
  })
  .strict();

const blockNewUsers = z
  .object({
    /** Only users whose e-mail domain is on the passlist can sign up (existing users keep access). */
    enabled: z.boolean().default(false),
    /** E-mail domains allowed to sign up when enabled. */
    passlist: z.array(z.string().regex(fqdnRfc1123, "must be a domain name such as example.com")).default([]),
  })
  .strict()
  .refine((b) => !b.enabled || b.passlist.length > 0, {
    message: "blockNewUsers.enabled needs at least one domain in blockNewUsers.passlist (the installer rejects an empty passlist)",
    path: ["passlist"],
  });

const workspace = z
  .object({
    /** How workspace file ownership is shifted: fuse works on every node image; shiftfs needs the kernel module. */
    fsShiftMethod: z.enum(["fuse", "shiftfs"]).default("fuse"),
    /** CPU and memory every workspace pod requests. */
    requests: z
      .object({
        /** CPU request, e.g. 1000m or 2. */
        cpu: quantity.default("1000m"),
        /** Memory request, e.g. 2Gi. */
        memory: quantity.default("2Gi"),
      })
      .strict()
      .prefault({}),
    /** Hard limits of a workspace pod (unset: Gitpod's defaults). */
    limits: z
      .object({
        /** Memory limit, e.g. 8Gi. */
        memory: quantity.optional(),
        /** Storage limit of a workspace, e.g. 30Gi. */
        storage: quantity.optional(),
        /** Ephemeral storage limit of the pod, e.g. 20Gi. */
        ephemeralStorage: quantity.optional(),
      })
      .strict()
      .optional(),
    /** Longest a workspace may run, however active. */
    maxLifetime: goDuration.default("36h"),
    /** Inactivity timeout of a regular workspace. */
    timeoutDefault: goDuration.optional(),
    /** Longest inactivity timeout a user can extend a workspace to. */
    timeoutExtended: goDuration.optional(),
    /** Timeout after the IDE is closed (no more heartbeats). */
    timeoutAfterClose: goDuration.optional(),
    /** Default workspace image, e.g. gitpod/workspace-full:latest or a mirror of it. */
    workspaceImage: z.string().min(1).optional(),
  })
  .strict();

export const gitpodSection = z
  .object({
    /** Gitpod release the installer renders: the 2022.11.x line is the last self-hosted one. */
    version: z
      .string()
      .regex(/^2022\.11\.\d+$/, `must be a 2022.11.x release such as ${defaultGitpodVersion} (the last self-hosted line)`)
      .default(defaultGitpodVersion),
    /** Where every Gitpod image (and the installer) is pulled from: upstream, or your mirror in the stack's registry. */
    imageRepository: imageRepository.default(upstreamImageRepository),
    /** Full installer image; defaults to `<imageRepository>/installer:<pinned tag of version>` (pinned: 2022.11.2, 2022.11.3). */
    installerImage: z
      .string()
      .regex(/^[^\s:@]+(:\d+)?(\/[^\s:@]+)*(:[A-Za-z0-9_.-]+|@sha256:[a-f0-9]{64})$/, "must be a full image reference with tag or digest")
      .optional(),
    /** Git providers users log in with. Without one, the first user configures one in the UI. */
    authProviders: z
      .array(authProvider)
      .default([])
      .refine((list) => new Set(list.map((p) => p.id.toLowerCase())).size === list.length, "ids must be unique (case-insensitively)"),
    /** Restrict sign-up to e-mail domains on a passlist. */
    blockNewUsers: blockNewUsers.prefault({}),
    /** Enterprise license: the key is a secret (`gitpod.license.key`); type as issued. */
    license: z
      .object({
        /** The license file's content: set it with `pulumi config set --secret --path gitpod.license.key`. */
        key: nonEmptySecret,
        /** Who issued the license. */
        type: z.enum(["gitpod", "replicated"]).default("gitpod"),
      })
      .strict()
      .optional(),
    /**
     * Base64 of 32 random bytes that encrypts tokens in the database. Unset: the stack generates one and keeps it
     * in state. Set it (as a secret) only to reuse the key of an existing database, e.g. after a restore.
     */
    databaseEncryptionKey: nonEmptySecret
      .refine((v) => Buffer.from(v, "base64").length === 32 && /^[A-Za-z0-9+/]+={0,2}$/.test(v), "must be base64 of exactly 32 bytes")
      .optional(),
    /** Workspace runtime, sizes and timeouts. */
    workspace: workspace.prefault({}),
    /** Open VSX registry the IDE installs extensions from. */
    openVsxUrl: z.url("must be a URL").default("https://open-vsx.org"),
    /** Log level of Gitpod's components. */
    logLevel: z.enum(["trace", "debug", "info", "warning", "error", "fatal", "panic"]).default("info"),
    /**
     * Gitpod's SSH gateway (port 22 on the proxy) for VS Code Desktop and JetBrains Gateway, with a host key kept in
     * the stack's state. On k3s its load balancer takes port 22 of the node: move the node's sshd first.
     */
    sshGateway: z.boolean().default(true),
    /** How long `pulumi up` waits for the installer Job (certificate, validate, stop workspaces, apply, ready) before failing. */
    installTimeoutMinutes: intBetween(20, 180).default(45),
    /**
     * Gitpod's images from the stack's own registry (docs/gitpod.md "Mirror"). Production stacks install from the
     * mirror the platform provides; development stacks may pull upstream. An explicit `imageRepository` other than
     * upstream is a mirror you fill yourself (`npm run mirror -- --commands`); the preflight checks it either way.
     */
    mirror: z
      .object({
        /** Copy the images into the platform's registry and install from there. Default: true in production. */
        enabled: z.boolean().optional(),
        /** Image of the copy and preflight Jobs (regctl with a shell), pulled from ghcr.io, not from an at-risk registry. */
        toolImage: z
          .string()
          .regex(/^[^\s:@]+(:\d+)?(\/[^\s:@]+)*(:[A-Za-z0-9_.-]+|@sha256:[a-f0-9]{64}|:[A-Za-z0-9_.-]+@sha256:[a-f0-9]{64})$/, "must be a full image reference with tag or digest")
          .optional(),
        /** Minutes `pulumi up` waits for the copy Job (the first copy moves several GB). */
        copyTimeoutMinutes: intBetween(10, 240).default(90),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .transform(({ authProviders, license, databaseEncryptionKey, ...rest }) => ({
    ...rest,
    authProviders: authProviders.map(({ clientSecret: _secret, ...provider }) => provider),
    license: license ? { type: license.type } : undefined,
    /** Whether the operator supplied the database encryption key (else the stack generates it). */
    importedDatabaseEncryptionKey: databaseEncryptionKey !== undefined,
  }));

/** The keys this file adds to the stack config schema (spread into config/schema.ts). */
export const gitpodConfigKeys = {
  /** Gitpod release, images, login and workspace settings (Kubernetes layer). */
  gitpod: gitpodSection.prefault({}),
};

/** The validated `gitpod` section, with every secret stripped. */
export type GitpodConfig = z.output<typeof gitpodSection>;

/** The secret values of the `gitpod` section, as the Gitpod component reads them (wrapped in a Pulumi secret). */
export interface GitpodSecretConfig {
  authProviders?: { id: string; clientSecret: string }[];
  license?: { key: string };
  databaseEncryptionKey?: string;
}
