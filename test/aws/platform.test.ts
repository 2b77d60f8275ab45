import * as pulumi from "@pulumi/pulumi";
import { AwsPlatform } from "../../components/aws";
import { partitionOf } from "../../components/aws/common";
import { rdsCaBundleFor } from "../../components/aws/rdsCa";
import { Platform, ubuntuContainerd } from "../../components/platform";
import { route53HomeRegion } from "../../providers/aws";
import { awsConfig, planComponent } from "./fixtures";

/** Resolves an Output's value on the mock runtime, and whether it is secret. */
async function value<T>(output: pulumi.Output<T>): Promise<{ value: T; secret: boolean }> {
  const resolved = await new Promise<T>((resolve) => output.apply(resolve));
  return { value: resolved, secret: await (output as any).isSecret };
}

describe("the platform contract on AWS", () => {
  let platform: Platform;
  beforeAll(async () => {
    await planComponent(() => {
      platform = new AwsPlatform("p", {
        config: awsConfig({ aws: { region: "eu-west-1", availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] } }),
      }).platform;
    });
  });

  it("names the cloud, the region Gitpod reports and the Ubuntu containerd paths", () => {
    expect(platform.cloud).toBe("aws");
    expect(platform.metadataRegion).toBe("eu-west-1");
    expect(platform.containerRuntime).toEqual(ubuntuContainerd);
  });

  it("hands out the three node groups with their Gitpod labels", async () => {
    expect(platform.nodePools.map((p) => p.role)).toEqual(["services", "regularWorkspaces", "headlessWorkspaces"]);
    expect((await value(platform.nodePools[1].name)).value).toBe("gitpod-p-regular-workspaces");
  });

  it("points Gitpod at RDS by host and port, with the password secret", async () => {
    const db = platform.database;
    if (db.kind !== "external") throw new Error(`expected an external database, got ${db.kind}`);
    expect((await value(db.host)).value).toMatch(/\.rds\.amazonaws\.com$/);
    expect((await value(db.port)).value).toBe(3306);
    expect((await value(db.username)).value).toBe("gitpod");
    expect(db.database).toBe("gitpod");
    expect((await value(db.password)).secret).toBe(true);
  });

  it("publishes the RDS root CAs, so the Gitpod layer verifies the TLS that RDS requires", async () => {
    const db = platform.database;
    if (db.kind !== "external") throw new Error(`expected an external database, got ${db.kind}`);
    expect((await value(db.caCertificate!)).value).toBe(rdsCaBundleFor("eu-west-1"));
  });

  it("gives S3 object storage and the S3-backed in-cluster registry, each with its own secret keys", async () => {
    const storage = platform.objectStorage;
    const registry = platform.registry;
    if (storage.kind !== "s3" || registry.kind !== "inClusterS3") throw new Error("expected S3 storage and an S3-backed registry");
    expect(storage).toMatchObject({ endpoint: "s3.eu-west-1.amazonaws.com", region: "eu-west-1" });
    expect(registry).toMatchObject({ endpoint: "s3.eu-west-1.amazonaws.com", region: "eu-west-1" });
    expect((await value(storage.bucket)).value).toMatch(/^gitpod-p-objects-/);
    expect((await value(registry.bucket)).value).toMatch(/^gitpod-p-registry-/);
    for (const key of [storage.accessKeyId, storage.secretAccessKey, registry.accessKeyId, registry.secretAccessKey]) expect((await value(key)).secret).toBe(true);
  });

  it("gives cert-manager a Route 53 DNS-01 solver for the zone and external-dns the aws provider filtered to it", async () => {
    const zoneId = (await value(platform.dns.zoneId)).value;
    expect((await value(platform.dns.acmeDns01Solver)).value).toEqual({ route53: { region: "eu-west-1", hostedZoneID: zoneId } });
    expect(platform.dns.externalDns!.provider).toBe("aws");
    expect((await value(platform.dns.externalDns!.extraArgs)).value).toEqual(["--aws-zone-type=public", `--zone-id-filter=${zoneId}`]);
    expect((await value(platform.dns.externalDns!.env!)).value).toEqual({ AWS_DEFAULT_REGION: "eu-west-1" });
    expect((await value(platform.dns.nameServers)).value).toHaveLength(4);
  });

  it("binds each in-cluster tool to its IRSA role by annotation", async () => {
    for (const tool of ["certManager", "externalDns", "velero"] as const) {
      const annotations = (await value(platform.workloadIdentity[tool].serviceAccountAnnotations)).value;
      expect(annotations["eks.amazonaws.com/role-arn"]).toMatch(new RegExp(`^arn:aws:iam::\\d{12}:role/p-identity-`));
    }
  });

  it("keeps the kubeconfig secret", async () => {
    expect((await value(platform.kubeconfig)).secret).toBe(true);
  });
});

describe("region helpers", () => {
  it("knows each partition and Route 53's home region in it", () => {
    expect(partitionOf("eu-west-1")).toBe("aws");
    expect(partitionOf("us-gov-west-1")).toBe("aws-us-gov");
    expect(partitionOf("cn-north-1")).toBe("aws-cn");
    expect(route53HomeRegion("eu-west-1")).toBe("us-east-1");
    expect(route53HomeRegion("us-gov-east-1")).toBe("us-gov-west-1");
  });
});
