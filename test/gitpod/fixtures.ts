/**
 * Platforms shaped the way each cloud fills the database, object storage and registry parts of the contract, for
 * the Gitpod tests. They start from the Kubernetes layer's fake platform (test/kubernetes/fixtures.ts) and set the
 * parts Gitpod reads. Every credential is a Pulumi secret whose value carries `secretMarker`, so a test can prove
 * no credential ever reaches the installer config or the plan in plain text.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cloud, parseStackConfig, StackConfig } from "../../config";
import { Platform } from "../../components/platform";
import { cloudCases, fakePlatform } from "../kubernetes/fixtures";
import { configValues } from "../helpers";

export const secretMarker = "gitpod-test-secret";
const secret = (what: string) => pulumi.secret(`${secretMarker}-${what}`);

export const gcsProject = "my-gitpod-project";
export const cloudSqlHost = "0123456789ab.europe-west1.sql.goog";
export const artifactRegistryUrl = "europe-west1-docker.pkg.dev/my-gitpod-project/gitpod";
export const s3Bucket = "gitpod-test-storage";
export const registryBucket = "gitpod-test-registry";
export const acrServer = "gitpodtest.azurecr.io";

/** The Gitpod-relevant shape of each cloud's platform, as the cloud components fill it. */
export function gitpodPlatform(cloud: Cloud | "inCluster"): Platform {
  const base = fakePlatform(cloudCases[cloud === "inCluster" ? "gcp" : cloud]);
  switch (cloud) {
    case "gcp":
      return {
        ...base,
        metadataRegion: "europe-west1",
        // Cloud SQL over its private IP, by the DNS name its CAS-issued certificate carries (docs/gcp.md).
        database: {
          kind: "external",
          host: pulumi.output(cloudSqlHost),
          port: pulumi.output(3306),
          username: pulumi.output("gitpod"),
          password: secret("db-password"),
          database: "gitpod",
          caCertificate: pulumi.output("-----BEGIN CERTIFICATE-----\nCLOUD-SQL-CAS-CA\n-----END CERTIFICATE-----\n"),
        },
        objectStorage: { kind: "gcs", project: pulumi.output(gcsProject), region: "europe-west1", serviceAccountKey: secret("gcs-key") },
        registry: {
          kind: "external",
          url: pulumi.output(artifactRegistryUrl),
          server: pulumi.output("europe-west1-docker.pkg.dev"),
          username: pulumi.output("_json_key"),
          password: secret("registry-key"),
        },
      };
    case "aws":
      return {
        ...base,
        metadataRegion: "eu-west-1",
        database: {
          kind: "external",
          host: pulumi.output("gitpod.abcdefghijkl.eu-west-1.rds.amazonaws.com"),
          port: pulumi.output(3306),
          username: pulumi.output("gitpod"),
          password: secret("db-password"),
          database: "gitpod",
          caCertificate: pulumi.output("-----BEGIN CERTIFICATE-----\nRDS-CA\n-----END CERTIFICATE-----\n"),
        },
        objectStorage: {
          kind: "s3",
          endpoint: "s3.eu-west-1.amazonaws.com",
          region: "eu-west-1",
          bucket: pulumi.output(s3Bucket),
          accessKeyId: secret("storage-key-id"),
          secretAccessKey: secret("storage-secret"),
        },
        registry: {
          kind: "inClusterS3",
          bucket: pulumi.output(registryBucket),
          region: "eu-west-1",
          endpoint: "s3.eu-west-1.amazonaws.com",
          accessKeyId: secret("registry-key-id"),
          secretAccessKey: secret("registry-secret"),
        },
      };
    case "azure":
      return {
        ...base,
        metadataRegion: "westeurope",
        database: {
          kind: "external",
          host: pulumi.output("gitpod-test.mysql.database.azure.com"),
          port: pulumi.output(3306),
          username: pulumi.output("gitpod"),
          password: secret("db-password"),
          database: "gitpod",
          caCertificate: pulumi.output("-----BEGIN CERTIFICATE-----\nDigiCert\n-----END CERTIFICATE-----\n"),
        },
        objectStorage: { kind: "azure", accountName: pulumi.output("gitpodteststorage"), accountKey: secret("account-key") },
        registry: {
          kind: "external",
          url: pulumi.output(`${acrServer}/gitpod`),
          server: pulumi.output(acrServer),
          username: pulumi.output("gitpod-push"),
          password: secret("acr-password"),
        },
      };
    case "inCluster":
      return { ...base, metadataRegion: "local", database: { kind: "inCluster" }, objectStorage: { kind: "inCluster" }, registry: { kind: "inCluster" } };
  }
}

/** A validated stack config with the given `gitpod` section (a GCP development stack; Gitpod ignores both). */
export function stackConfigWith(gitpod: unknown): StackConfig {
  return parseStackConfig(gitpodConfigValues(gitpod));
}

/** The `namespace:key` config map of a minimal stack with the given `gitpod` section. */
export function gitpodConfigValues(gitpod: unknown): Record<string, string> {
  return configValues({
    cloud: "gcp",
    // development: the gitpod section does not depend on the environment, and production-only rules of other
    // sections (backups, high availability) stay out of these tests.
    environment: "development",
    domain: "gitpod.example.com",
    gcp: { project: gcsProject, region: "europe-west1" },
    certificates: { acmeEmail: "ops@example.com" },
    ...(gitpod === undefined ? {} : { gitpod }),
  });
}
