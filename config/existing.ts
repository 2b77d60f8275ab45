import { z } from "zod";
import { PoolRole, poolRoles } from "./cloudDefaults";
import { awsRegion, gcpProjectId } from "./primitives";
import type { DatabaseConfig, PoolConfig } from "./resolve";
import type { RawStackConfig } from "./schema";

/**
 * The `existing` section of the stack config (`cloud: existing`): a cluster the operator already runs, such as a
 * single k3s node, reached through its kubeconfig. The program creates no cloud resource for such a stack: every
 * dependency Gitpod needs is either named here (external MySQL, S3-compatible storage, a registry, a DNS service)
 * or asked for in-cluster (Gitpod's own MySQL, MinIO and registry: not for production, their data lives on the
 * cluster's disks).
 *
 * Secret values (the kubeconfig, passwords, keys, DNS API tokens) live inside this section and must be set with
 * `pulumi config set --secret --path existing.<key> <value>`. The schema checks that they are present and strips
 * them, so the validated StackConfig holds none; components/existing reads them again as Pulumi secrets
 * (`readExistingSecrets`), the way config/gitpod.ts does for the `gitpod` section.
 */

/** A value that must be a Pulumi secret; the schema only checks that it is there. */
const secretValue = z
  .string({ error: "must be set as a secret: pulumi config set --secret --path existing.<key> <value>" })
  .min(1, "must not be empty");

/** A Route 53 hosted zone id. */
const route53ZoneId = z.string().regex(/^Z[A-Z0-9]{1,31}$/, "must be a Route 53 hosted zone id such as Z0123456789ABC");

/** An IAM access key id (for the DNS services outside AWS that have no workload identity). */
const awsAccessKeyId = z.string().regex(/^[A-Z0-9]{16,128}$/, "must be an AWS access key id such as AKIAIOSFODNN7EXAMPLE");

/** A host name or IP address, as a client connects to it. */
const host = z
  .string()
  .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/, "must be a host name or IP address such as mysql.example.com or 10.0.0.5");

/**
 * The HTTPS base URL of an S3-compatible API, such as https://minio.example.com:9000 or
 * https://s3.eu-central-1.amazonaws.com: scheme, host and optional port, nothing else. Gitpod 2022.11 talks to object
 * storage over TLS only, and both Gitpod (host:port) and Velero (the URL) are given it from this one value.
 */
const s3Endpoint = z
  .string()
  .regex(
    /^https:\/\/[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?\/?$/,
    "must be an https:// URL with host and optional port and no path, such as https://minio.example.com:9000 (Gitpod reaches object storage over TLS only)",
  );

/** An S3 region name; S3-compatible stores usually accept any (MinIO's default is us-east-1). */
const s3Region = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be a region name such as us-east-1 (lowercase letters, digits, hyphens)");

/** An S3 bucket name. */
const bucketName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name: 3-63 lowercase letters, digits, dots or hyphens");

/** A Kubernetes node name (RFC 1123 subdomain); k3s names a node after its host name. */
const nodeName = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/, "must be a Kubernetes node name such as gitpod-k3s (lowercase, digits, dots, hyphens)");

/** A path on the node. */
const absolutePath = z.string().regex(/^\/[^\s]*$/, "must be an absolute path on the node");

/** containerd paths of a k3s node (k3s runs its own containerd under /run/k3s). */
export const k3sContainerd = {
  socket: "/run/k3s/containerd/containerd.sock",
  runtimeDir: "/run/k3s/containerd/io.containerd.runtime.v2.task/k8s.io",
} as const;

/** containerd paths of a node with a stock containerd (kubeadm, most distributions). */
export const genericContainerd = {
  socket: "/run/containerd/containerd.sock",
  runtimeDir: "/run/containerd/io.containerd.runtime.v2.task/k8s.io",
} as const;

/** An S3-compatible location: Gitpod's object storage or Velero's backups. */
const s3Location = {
  /** HTTPS URL of the S3 API, such as https://minio.example.com:9000. */
  endpoint: s3Endpoint,
  /** Region of the bucket (S3-compatible stores: the region they are configured with, often us-east-1). */
  region: s3Region,
  /** Bucket that already exists; the program does not create it. */
  bucket: bucketName,
  /** Access key id of a key limited to this bucket. */
  accessKeyId: z.string().min(1, "must not be empty"),
  /** Secret access key (secret). */
  secretAccessKey: secretValue,
};

const database = z.discriminatedUnion(
  "kind",
  [
    z
      .object({
        /** Any MySQL 5.7/8.0 reachable from the cluster, with a database named `gitpod`. */
        kind: z.literal("external"),
        /** Host name or IP address of the MySQL server. */
        host,
        /** TCP port of the MySQL server. */
        port: z.number().int("must be a TCP port").min(1, "must be a TCP port").max(65535, "must be a TCP port").default(3306),
        /** User with all privileges on the `gitpod` database. */
        username: z.string().min(1, "must not be empty").default("gitpod"),
        /** That user's password (secret). */
        password: secretValue,
        /** PEM CA bundle of the server's certificate; set it and Gitpod verifies the server over TLS. */
        caCertificate: z.string().includes("-----BEGIN CERTIFICATE-----", { error: "must be a PEM certificate bundle" }).optional(),
      })
      .strict(),
    z
      .object({
        /** Gitpod's own MySQL in the cluster: its data lives on the node's disk. Not for production. */
        kind: z.literal("inCluster"),
      })
      .strict(),
  ],
  { error: "must be external or inCluster" },
);

const objectStorage = z.discriminatedUnion(
  "kind",
  [
    z.object({ /** An S3-compatible store (MinIO, Ceph, AWS S3, ...). */ kind: z.literal("s3"), ...s3Location }).strict(),
    z.object({ /** Gitpod's own MinIO in the cluster: its data lives on the node's disk. Not for production. */ kind: z.literal("inCluster") }).strict(),
  ],
  { error: "must be s3 or inCluster" },
);

const registry = z.discriminatedUnion(
  "kind",
  [
    z
      .object({
        /** A registry Gitpod pushes workspace images to with a docker login (Harbor, GHCR, Docker Hub, ...). */
        kind: z.literal("external"),
        /** Repository prefix without scheme, such as harbor.example.com/gitpod. */
        url: z
          .string()
          .regex(
            /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)+$/,
            "must be a repository prefix without scheme or trailing slash, such as harbor.example.com/gitpod",
          ),
        /** Registry host the credentials are for; defaults to the host of `url`. */
        server: z.string().regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?$/, "must be a registry host such as harbor.example.com").optional(),
        /** User allowed to push and pull under `url`. */
        username: z.string().min(1, "must not be empty"),
        /** Its password or token (secret). */
        password: secretValue,
      })
      .strict(),
    z
      .object({
        /** Gitpod's in-cluster registry storing its layers in a bucket of the S3-compatible `objectStorage` store. */
        kind: z.literal("inClusterS3"),
        /** Bucket for the registry's layers (same endpoint, region and key as `existing.objectStorage`). */
        bucket: bucketName,
      })
      .strict(),
    z.object({ /** Gitpod's in-cluster registry on a volume of the cluster. Images can be rebuilt, so allowed in production. */ kind: z.literal("inCluster") }).strict(),
  ],
  { error: "must be external, inClusterS3 or inCluster" },
);

/** The DNS-01 solvers cert-manager can use for the stack's domain, or a private CA for test installs. */
export const dns01Solvers = ["cloudflare", "route53", "cloudDNS", "webhook", "selfSigned"] as const;

const dns01 = z.discriminatedUnion(
  "solver",
  [
    z
      .object({
        /** Cloudflare: an API token with Zone:Read and DNS:Edit on the domain's zone. */
        solver: z.literal("cloudflare"),
        /** The API token (secret). */
        apiToken: secretValue,
      })
      .strict(),
    z
      .object({
        /** Route 53 with a static access key (no workload identity outside AWS). */
        solver: z.literal("route53"),
        /** AWS region for the Route 53 API calls, such as us-east-1. */
        region: awsRegion,
        /** Hosted zone id; unset lets cert-manager find the zone by name. */
        hostedZoneId: route53ZoneId.optional(),
        /** Access key id of an IAM user limited to the zone's records. */
        accessKeyId: awsAccessKeyId,
        /** Its secret access key (secret). */
        secretAccessKey: secretValue,
      })
      .strict(),
    z
      .object({
        /** Google Cloud DNS with a service-account key (no workload identity outside GKE). */
        solver: z.literal("cloudDNS"),
        /** Project of the managed zone. */
        project: gcpProjectId,
        /** JSON key of a service account with roles/dns.admin on the project (secret). */
        serviceAccountKey: secretValue,
      })
      .strict(),
    z
      .object({
        /** Any cert-manager webhook solver installed in the cluster (e.g. for Hetzner, OVH, deSEC). */
        solver: z.literal("webhook"),
        /** API group of the webhook, as its installation documents it, such as acme.example.com. */
        groupName: z.string().regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?\.[a-z]{2,}$/, "must be an API group such as acme.example.com"),
        /** Solver name the webhook registers, such as hetzner. */
        solverName: z.string().regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, "must be a lowercase name such as hetzner"),
        /** The solver's `config` block, passed as is; refer to `credentials` as Secret `acme-dns01-credentials`. */
        config: z.record(z.string(), z.unknown()).default({}),
        /** Secret values the webhook reads, put in Secret `acme-dns01-credentials` in cert-manager's namespace (secret). */
        credentials: z.record(z.string().regex(/^[-._a-zA-Z0-9]+$/, "must be a Secret data key"), secretValue).optional(),
      })
      .strict(),
    z
      .object({
        /** A private CA in the cluster signs the certificate: browsers will not trust it. Test installs only. */
        solver: z.literal("selfSigned"),
      })
      .strict(),
  ],
  { error: `must be one of ${dns01Solvers.join(", ")}` },
);

const externalDns = z.discriminatedUnion(
  "provider",
  [
    z
      .object({
        /** Cloudflare: an API token with Zone:Read and DNS:Edit on the zone. */
        provider: z.literal("cloudflare"),
        /** The API token (secret). */
        apiToken: secretValue,
        /** Proxy the published records through Cloudflare (off: Gitpod's workspace ports need direct access). */
        proxied: z.boolean().default(false),
      })
      .strict(),
    z
      .object({
        /** Route 53 with a static access key. */
        provider: z.literal("aws"),
        /** AWS region for the API calls. */
        region: awsRegion,
        /** Limit external-dns to this hosted zone. */
        hostedZoneId: route53ZoneId.optional(),
        /** Access key id of an IAM user limited to the zone's records. */
        accessKeyId: awsAccessKeyId,
        /** Its secret access key (secret). */
        secretAccessKey: secretValue,
      })
      .strict(),
    z
      .object({
        /** Google Cloud DNS with a service-account key. */
        provider: z.literal("google"),
        /** Project of the managed zone. */
        project: gcpProjectId,
        /** JSON key of a service account with roles/dns.admin (secret). */
        serviceAccountKey: secretValue,
      })
      .strict(),
  ],
  { error: "must be cloudflare, aws or google (leave existing.externalDns out to publish the records yourself)" },
);

const node = z
  .object({
    /** The node's name as `kubectl get nodes` shows it. */
    name: nodeName,
    /** The Gitpod roles this node serves; a single-node cluster serves all three (the default). */
    roles: z.array(z.enum(poolRoles, { error: `must be one of ${poolRoles.join(", ")}` })).min(1, "must list at least one role").default([...poolRoles]),
  })
  .strict();

const existingObject = z
  .object({
    /** Kubeconfig of the cluster, with cluster-admin rights (secret): `pulumi config set --secret --path existing.kubeconfig -- "$(cat kubeconfig)"`. */
    kubeconfig: secretValue.optional(),
    /** A stable name of the cluster: the Kubernetes provider is replaced only when it changes. Defaults to the stack name. */
    clusterName: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "must be 1-63 lowercase letters, digits or hyphens").optional(),
    /** k3s (containerd under /run/k3s) or generic (a stock containerd under /run/containerd). */
    distribution: z.enum(["k3s", "generic"], { error: "must be k3s or generic" }),
    /** containerd socket and runtime directory on the nodes; defaults follow `distribution`. */
    containerRuntime: z
      .object({
        /** containerd's socket, such as /run/containerd/containerd.sock. */
        socket: absolutePath,
        /** containerd's runtime v2 task directory of the k8s.io namespace. */
        runtimeDir: absolutePath,
      })
      .strict()
      .optional(),
    /** The nodes Gitpod runs on: each must carry the Gitpod labels of its roles (checked before anything is installed). */
    nodes: z.array(node).min(1, "must list at least one node"),
    /** Region Gitpod reports (installer metadata.region); with S3 object storage it must be the bucket's region (the default). */
    region: z.string().regex(/^[a-z0-9-]+$/, "must be lowercase letters, digits and hyphens, such as on-premises or us-east-1").optional(),
    /** Gitpod's MySQL: external (host, user, password) or inCluster. */
    database,
    /** Gitpod's object storage: an S3-compatible bucket or inCluster (MinIO). */
    objectStorage,
    /** Gitpod's image registry: external, inClusterS3 or inCluster. */
    registry,
    /** How cert-manager proves the domain for Gitpod's wildcard certificate (DNS-01), or selfSigned for tests. */
    dns01,
    /** external-dns's DNS service and credentials; leave it out to point the domain's records at the cluster yourself. */
    externalDns: externalDns.optional(),
    /**
     * Velero's S3-compatible backup location (required: every platform has a backup target). Keep it outside the
     * cluster's failure domain: another site, or a cloud's object storage.
     */
    backup: z
      .object({ ...s3Location })
      .strict(),
    /**
     * Accept in-cluster database or object storage in production. Their data lives on the cluster's disks and is gone
     * with the node; Velero's file-system copy of a running MySQL is not guaranteed to be consistent.
     */
    acceptInClusterDataInProduction: z.boolean().default(false),
  })
  .strict();

type ExistingInput = z.output<typeof existingObject>;

/** Removes the secret keys from an object (the validated config never holds a secret). */
function without<T extends object, K extends keyof T>(value: T, ...keys: K[]): Omit<T, K> {
  const copy = { ...value };
  for (const key of keys) delete copy[key];
  return copy;
}

/** The validated `existing` section with every secret stripped (what StackConfig holds). */
export function stripExistingSecrets(section: ExistingInput) {
  const db = section.database;
  const storage = section.objectStorage;
  const reg = section.registry;
  const solver = section.dns01;
  const dns = section.externalDns;
  return {
    ...without(section, "kubeconfig", "database", "objectStorage", "registry", "dns01", "externalDns", "backup"),
    database: db.kind === "external" ? { ...without(db, "password") } : db,
    objectStorage: storage.kind === "s3" ? { ...without(storage, "secretAccessKey") } : storage,
    registry: reg.kind === "external" ? { ...without(reg, "password") } : reg,
    dns01:
      solver.solver === "cloudflare"
        ? { ...without(solver, "apiToken") }
        : solver.solver === "route53"
          ? { ...without(solver, "secretAccessKey") }
          : solver.solver === "cloudDNS"
            ? { ...without(solver, "serviceAccountKey") }
            : solver.solver === "webhook"
              ? { ...without(solver, "credentials"), credentialKeys: Object.keys(solver.credentials ?? {}).sort() }
              : solver,
    externalDns:
      dns === undefined
        ? undefined
        : dns.provider === "cloudflare"
          ? { ...without(dns, "apiToken") }
          : dns.provider === "aws"
            ? { ...without(dns, "secretAccessKey") }
            : { ...without(dns, "serviceAccountKey") },
    backup: { ...without(section.backup, "secretAccessKey") },
  };
}

/**
 * The `existing` section: checked for its required secret, then stripped of every secret value. The kubeconfig is
 * optional in the object only so that its absence gets a message that says how to set it.
 */
export const existingSection = existingObject
  .superRefine((section, ctx) => {
    if (section.kubeconfig === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["kubeconfig"],
        input: undefined,
        message:
          'the cluster\'s kubeconfig is required, as a secret: pulumi config set --secret --path existing.kubeconfig -- "$(cat kubeconfig)" (k3s: /etc/rancher/k3s/k3s.yaml, its server address changed to one the program can reach)',
      });
    }
  })
  .transform(stripExistingSecrets);

/** The validated `existing` section, secrets stripped. */
export type ExistingConfig = z.output<typeof existingSection>;

/** The secret values of the `existing` section, as components/existing reads them (inside a Pulumi secret). */
export interface ExistingSecretConfig {
  kubeconfig?: string;
  database?: { password?: string };
  objectStorage?: { secretAccessKey?: string };
  registry?: { password?: string };
  dns01?: { apiToken?: string; secretAccessKey?: string; serviceAccountKey?: string; credentials?: Record<string, string> };
  externalDns?: { apiToken?: string; secretAccessKey?: string; serviceAccountKey?: string };
  backup?: { secretAccessKey?: string };
}

/** The host[:port] of an https:// endpoint, as Gitpod's installer takes object storage endpoints. */
export function endpointHost(endpoint: string): string {
  return endpoint.replace(/^https:\/\//, "").replace(/\/$/, "");
}

/** The containerd paths of the stack's nodes: the configured ones, else the distribution's. */
export function containerRuntimeOf(section: Pick<ExistingConfig, "distribution" | "containerRuntime">): { socket: string; runtimeDir: string } {
  return section.containerRuntime ?? (section.distribution === "k3s" ? { ...k3sContainerd } : { ...genericContainerd });
}

/** The region Gitpod reports: the configured one, else the S3 bucket's, else `on-premises`. */
export function metadataRegionOf(section: Pick<ExistingConfig, "region" | "objectStorage">): string {
  return section.region ?? (section.objectStorage.kind === "s3" ? section.objectStorage.region : "on-premises");
}

/** The shared keys an existing cluster has no use for: they size or configure cloud resources the program creates. */
export const keysNotForExisting = {
  nodePools: "the nodes are yours: list them under existing.nodes and label them (docs/existing-cluster.md)",
  database: "no database is created: name yours under existing.database",
  dns: "no DNS zone is created: cert-manager's solver is existing.dns01, external-dns is existing.externalDns",
} as const;

/** A schema for a shared key an existing cluster rejects, with the reason. */
export const notForExisting = (reason: string) => z.undefined({ error: `is not used with cloud: existing; ${reason}` }).optional();

/**
 * Node pool and database sizes of an existing cluster: not used. The program creates no machines and no database
 * for it; the values only keep StackConfig one shape for every cloud. minNodes counts the listed nodes of each role,
 * which the Kubernetes layer reads (a role with nodes is never scaled from zero).
 */
function existingSizes(section: ExistingConfig): { nodePools: Record<PoolRole, PoolConfig>; database: DatabaseConfig } {
  const nodePools = {} as Record<PoolRole, PoolConfig>;
  for (const role of poolRoles) {
    const count = section.nodes.filter((n) => n.roles.includes(role)).length;
    nodePools[role] = { machineType: "operator-managed", diskSizeGb: 0, diskType: "operator-managed", minNodes: count, maxNodes: count };
  }
  return {
    nodePools,
    database: { version: "8.0", supportPlan: "standard", machineType: "operator-managed", diskSizeGb: 0, backupRetentionDays: 0, highAvailability: false },
  };
}

type ExistingRaw = Extract<RawStackConfig, { cloud: "existing" }>;

/**
 * The rules of an existing-cluster stack that span several keys, and its resolved shape. Called from
 * resolveDefaults, before anything is registered; each problem names its key, the value and what is allowed.
 */
export function resolveExisting(raw: ExistingRaw, ctx: z.RefinementCtx) {
  const section = raw.existing;
  const production = raw.environment === "production";
  const problem = (path: PropertyKey[], input: unknown, message: string) => ctx.addIssue({ code: "custom", path, input, message });

  for (const role of poolRoles) {
    if (!section.nodes.some((n) => n.roles.includes(role))) {
      problem(["existing", "nodes"], section.nodes.map((n) => n.name), `no node serves the ${role} role; give at least one node that role (roles: ${poolRoles.join(", ")})`);
    }
  }
  const names = section.nodes.map((n) => n.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) problem(["existing", "nodes"], names, `lists node ${duplicate} twice`);

  if (section.distribution === "k3s" && section.containerRuntime) {
    const runtime = section.containerRuntime;
    if (runtime.socket !== k3sContainerd.socket || runtime.runtimeDir !== k3sContainerd.runtimeDir) {
      problem(
        ["existing", "containerRuntime"],
        runtime,
        `does not match k3s's containerd (socket ${k3sContainerd.socket}, runtimeDir ${k3sContainerd.runtimeDir}); ws-daemon would not find the workspaces' containers. Leave it out, or set distribution: generic for a k3s started with an external containerd (--container-runtime-endpoint)`,
      );
    }
  }

  if (section.objectStorage.kind === "s3" && section.region !== undefined && section.region !== section.objectStorage.region) {
    problem(
      ["existing", "region"],
      section.region,
      `must equal existing.objectStorage.region (${section.objectStorage.region}): Gitpod 2022.11 uses metadata.region as the S3 region; leave it out to use the bucket's`,
    );
  }
  if (section.registry.kind === "inClusterS3" && section.objectStorage.kind !== "s3") {
    problem(["existing", "registry", "kind"], "inClusterS3", "needs existing.objectStorage.kind s3: the registry's bucket is on that store, with its endpoint and key");
  }

  if (production) {
    if (!section.acceptInClusterDataInProduction) {
      const why =
        "in production: its data lives on the cluster's own disks and is lost with the node, and a file-system backup of a running database is not guaranteed consistent. " +
        "Name an external one, or set existing.acceptInClusterDataInProduction: true to accept that risk";
      if (section.database.kind === "inCluster") problem(["existing", "database", "kind"], "inCluster", `is not allowed ${why}`);
      if (section.objectStorage.kind === "inCluster") problem(["existing", "objectStorage", "kind"], "inCluster", `is not allowed ${why}`);
    }
    if (section.dns01.solver === "selfSigned") {
      problem(
        ["existing", "dns01", "solver"],
        "selfSigned",
        "is for test installs only: browsers and Git clients do not trust a private CA; in production use cloudflare, route53, cloudDNS or webhook",
      );
    }
  }

  if (raw.backup.replicaRegion !== undefined) {
    problem(["backup", "replicaRegion"], raw.backup.replicaRegion, "is not used with cloud: existing; replicate the existing.backup bucket with the store's own replication");
  }
  if (raw.backup.databaseReplica) {
    problem(["backup", "databaseReplica"], true, "is not available with cloud: existing (the database is yours)");
  }
  if (raw.velero.volumeBackup === "snapshot") {
    problem(
      ["velero", "volumeBackup"],
      "snapshot",
      "must be fileSystem with cloud: existing: Velero has no snapshot plugin for the cluster's local volumes; kopia copies them into existing.backup",
    );
  }

  // nodePools, database and dns are always undefined here (the schema rejects them): the sizes replace them.
  return { ...raw, protect: raw.protect ?? production, ...existingSizes(section) };
}
