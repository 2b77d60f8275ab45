import { GitpodConfig } from "../../../config/gitpod";
import { GitpodPlatformFacts } from "./installerConfig";

/**
 * Checks run by Pulumi before anything of Gitpod is registered with the cluster. They catch, with a message that
 * says what to fix, the platform shapes the installer would reject or that would leave Gitpod broken at runtime.
 * The Job repeats the cluster-side half (`gitpod-installer validate cluster`) against the live cluster.
 */

/** Node labels the 2022.11 installer requires for `kind: Full` (install/installer/pkg/cluster/affinity.go). */
export const requiredAffinityLabels = [
  "gitpod.io/workload_meta",
  "gitpod.io/workload_ide",
  "gitpod.io/workload_workspace_services",
  "gitpod.io/workload_workspace_regular",
  "gitpod.io/workload_workspace_headless",
] as const;

export class GitpodPreconditionError extends Error {
  constructor(readonly problems: string[]) {
    super(`Gitpod cannot be installed on this platform (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "GitpodPreconditionError";
  }
}

/** The parts of the platform that are plain data (no Outputs), so they can be checked before anything is registered. */
export interface StaticPlatformFacts {
  nodePools: GitpodPlatformFacts["nodePools"];
  containerRuntime: GitpodPlatformFacts["containerRuntime"];
  metadataRegion: string;
  databaseKind: GitpodPlatformFacts["database"]["kind"];
  objectStorage: { kind: GitpodPlatformFacts["objectStorage"]["kind"]; region?: string };
}

/** Every problem with the platform facts; empty when Gitpod can be installed. */
export function gitpodPreconditionProblems(gitpod: GitpodConfig, facts: GitpodPlatformFacts): string[] {
  return [...staticPreconditionProblems(gitpod, staticFacts(facts)), ...resolvedPreconditionProblems(facts)];
}

/** The plain part of the facts, or of a Platform (both have these fields as plain data). */
export function staticFacts(facts: {
  nodePools: StaticPlatformFacts["nodePools"];
  containerRuntime: StaticPlatformFacts["containerRuntime"];
  metadataRegion: string;
  database: { kind: StaticPlatformFacts["databaseKind"] };
  objectStorage: { kind: "gcs" | "s3"; region: string } | { kind: "azure" | "inCluster" };
}): StaticPlatformFacts {
  const storage = facts.objectStorage;
  return {
    nodePools: facts.nodePools.map((pool) => ({ role: pool.role, labels: pool.labels })),
    containerRuntime: facts.containerRuntime,
    metadataRegion: facts.metadataRegion,
    databaseKind: facts.database.kind,
    objectStorage: { kind: storage.kind, region: storage.kind === "gcs" || storage.kind === "s3" ? storage.region : undefined },
  };
}

/** Problems visible in the platform's plain data: checked synchronously, before any Gitpod resource is registered. */
export function staticPreconditionProblems(gitpod: GitpodConfig, facts: StaticPlatformFacts): string[] {
  const problems: string[] = [];

  for (const label of requiredAffinityLabels) {
    const pools = facts.nodePools.filter((pool) => pool.labels[label] === "true").map((pool) => pool.role);
    if (pools.length === 0) {
      problems.push(`node label ${label}=true is on no node pool (pools: ${facts.nodePools.map((p) => p.role).join(", ") || "none"}); Gitpod schedules by it`);
    }
  }
  const workspacePools = facts.nodePools.filter(
    (pool) => pool.labels["gitpod.io/workload_workspace_regular"] === "true" || pool.labels["gitpod.io/workload_workspace_headless"] === "true",
  );
  for (const pool of workspacePools) {
    if (pool.labels["gitpod.io/workload_meta"] === "true") {
      problems.push(`node pool ${pool.role} carries both workspace and gitpod.io/workload_meta labels; workspaces must not share nodes with Gitpod's services`);
    }
  }

  if (!facts.containerRuntime.socket.startsWith("/") || !facts.containerRuntime.runtimeDir.startsWith("/")) {
    problems.push(
      `containerRuntime socket (${facts.containerRuntime.socket}) and runtimeDir (${facts.containerRuntime.runtimeDir}) must be absolute paths on the node`,
    );
  }
  if (!/^[a-z0-9-]+$/.test(facts.metadataRegion)) {
    problems.push(`metadataRegion ${JSON.stringify(facts.metadataRegion)} must be the cloud region, such as europe-west1 or eu-west-2`);
  }

  if (facts.databaseKind === "inCluster" && gitpod.importedDatabaseEncryptionKey) {
    problems.push("gitpod.databaseEncryptionKey is set but the platform's database is in-cluster; the installer generates that database's key itself");
  }

  const storage = facts.objectStorage;
  if ((storage.kind === "gcs" || storage.kind === "s3") && storage.region !== facts.metadataRegion) {
    problems.push(
      `objectStorage.region ${storage.region} differs from metadataRegion ${facts.metadataRegion}; Gitpod 2022.11 uses metadata.region as the ${storage.kind === "gcs" ? "GCS" : "S3"} region`,
    );
  }
  return problems;
}

/** Problems in values the platform computes (Outputs): checked when they resolve, before the config is written. */
export function resolvedPreconditionProblems(facts: GitpodPlatformFacts): string[] {
  const problems: string[] = [];
  const storage = facts.objectStorage;
  if (storage.kind === "s3" && (!storage.bucket || !storage.endpoint)) {
    problems.push("objectStorage s3 needs a bucket and an endpoint");
  }

  const registry = facts.registry;
  if (registry.kind === "external" && (/^https?:\/\//.test(registry.url) || registry.url.endsWith("/") || registry.url.length === 0)) {
    problems.push(`registry.url ${JSON.stringify(registry.url)} must be a repository prefix without scheme or trailing slash, e.g. europe-docker.pkg.dev/project/gitpod`);
  }
  if (registry.kind === "inClusterS3" && (!registry.bucket || !registry.endpoint || !registry.region)) {
    problems.push("registry inClusterS3 needs a bucket, a region and an endpoint");
  }
  return problems;
}

/** Problems with the database connection values (checked where they are resolved, inside the secret). */
export function databaseConnectionProblems(values: { host?: string; port?: number; username: string; password: string }): string[] {
  const problems: string[] = [];
  if (values.host !== undefined && !/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(values.host)) {
    problems.push(`database host ${JSON.stringify(values.host)} is not a host name or IP address`);
  }
  if (values.port !== undefined && !(Number.isInteger(values.port) && values.port > 0 && values.port < 65536)) {
    problems.push(`database port ${JSON.stringify(values.port)} is not a TCP port`);
  }
  if (!values.username) problems.push("database username is empty");
  if (!values.password) problems.push("database password is empty (the value is not shown)");
  return problems;
}
