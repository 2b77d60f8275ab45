import * as pulumi from "@pulumi/pulumi";
import { configNamespace, ConfigError, parseStackConfig, StackConfig } from "../../config";
import { k3sContainerd } from "../../config/existing";
import { distributionProblems, ExistingClusterError, ExistingPlatform, k3sNodeLabelFlags, nodeLabelProblems } from "../../components/existing";
import { Platform } from "../../components/platform";
import { veleroPluginImage } from "../../components/veleroPlugins";
import { existingFakes } from "../../scripts/plan/fakes/existing";
import { Plan, planProgram } from "../../scripts/plan/run";
import { configValues } from "../helpers";
import { k3sTestInstall, kubeconfig, productionCluster } from "./fixtures";

/** Resolves an Output's value on the mock runtime, and whether it is secret. */
async function value<T>(output: pulumi.Output<T>): Promise<{ value: T; secret: boolean }> {
  const resolved = await new Promise<T>((resolve) => output.apply(resolve));
  return { value: resolved, secret: await (output as unknown as { isSecret: Promise<boolean> }).isSecret };
}

const secretKeys = [`${configNamespace}:existing`];

/** An Output's value or its error, observed on every promise it carries so no rejection goes unhandled. */
function settle<T>(output: pulumi.Output<T>): Promise<{ value?: T; error?: unknown }> {
  const impl = output as unknown as { promise(): Promise<T>; isKnown: Promise<boolean>; isSecret: Promise<boolean> };
  impl.isKnown.catch(() => undefined);
  impl.isSecret.catch(() => undefined);
  return impl.promise().then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

let kubeconfigResult: Promise<{ value?: string; error?: unknown }> = Promise.resolve({});

/** Builds the ExistingPlatform of a config on the mock runtime; the plan records what it registers. */
async function planPlatform(config: Record<string, unknown>, keys = secretKeys): Promise<{ plan: Plan; platform: Platform }> {
  let platform: Platform | undefined;
  const plan = await planProgram(
    () => {
      const parsed = parseStackConfig(pulumi.runtime.allConfig()) as Extract<StackConfig, { cloud: "existing" }>;
      platform = new ExistingPlatform("t", { config: parsed }).platform;
      // In program.ts the layer's Kubernetes provider consumes the kubeconfig and fails with the node check; here its
      // value is awaited directly (a failed registration is reported by the Pulumi CLI, not by the mock runtime).
      kubeconfigResult = settle(platform.kubeconfig);
      return {};
    },
    { project: "gitpod-platform", stack: "test", config: configValues(config), secretKeys: keys },
  );
  return { plan, platform: platform! };
}

describe("the contract of a k3s test install", () => {
  let plan: Plan;
  let platform: Platform;
  beforeAll(async () => {
    ({ plan, platform } = await planPlatform(k3sTestInstall()));
  });

  it("registers no cloud resource: the component and the provider that reads the nodes, nothing else", () => {
        expect(plan.resources.map((r) => r.type).filter((t) => t !== "pulumi:pulumi:Stack").sort()).toEqual(["gitpod:existing:ExistingPlatform", "pulumi:providers:kubernetes"]);
    const reader = plan.resources.find((r) => r.type === "pulumi:providers:kubernetes")!;
    expect(reader.name).toBe("t-node-check");
    expect(reader.inputs.kubeconfig).toBe("[secret]");
  });

  it("points ws-daemon at k3s's containerd and asks for Gitpod's in-cluster dependencies", () => {
    expect(platform.cloud).toBe("existing");
    expect(platform.containerRuntime).toEqual(k3sContainerd);
    expect(platform.database).toEqual({ kind: "inCluster" });
    expect(platform.objectStorage).toEqual({ kind: "inCluster" });
    expect(platform.registry).toEqual({ kind: "inCluster" });
    expect(platform.metadataRegion).toBe("on-premises");
  });

  it("hands out the three roles, all on the one node, with their Gitpod labels", async () => {
    expect(platform.nodePools.map((p) => p.role)).toEqual(["services", "regularWorkspaces", "headlessWorkspaces"]);
    for (const pool of platform.nodePools) expect((await value(pool.name)).value).toBe("gitpod-k3s");
    expect(platform.nodePools[0].labels).toMatchObject({ "gitpod.io/workload_meta": "true", "gitpod.io/workload_ide": "true" });
    expect(platform.nodePools[2].labels).toEqual({ "gitpod.io/workload_workspace_headless": "true" });
  });

  it("asks for a private CA and no DNS credentials, and publishes no records", async () => {
    expect(platform.dns.issuer).toBe("selfSigned");
    expect(platform.dns.acmeDns01Credentials).toBeUndefined();
    expect(platform.dns.externalDns).toBeUndefined();
    expect((await value(platform.dns.nameServers)).value).toEqual([]);
  });

  it("binds no tool to a cloud identity", async () => {
    for (const binding of Object.values(platform.workloadIdentity)) {
      expect((await value(binding.serviceAccountAnnotations)).value).toEqual({});
      expect(binding.podLabels).toEqual({});
    }
  });

  it("gives Velero the S3-compatible location with path-style addressing and a credentials file kept secret", async () => {
    const backup = platform.backup!;
    expect(backup.provider).toBe("velero.io/aws");
    expect(backup.pluginImage).toBe(veleroPluginImage("aws"));
    expect((await value(backup.bucket)).value).toBe("gitpod-backups");
    expect((await value(backup.config)).value).toEqual({ region: "us-east-1", s3Url: "https://backup.example.net:9000", s3ForcePathStyle: "true" });
    const credentials = await value(backup.credentialsFile!);
    expect(credentials.secret).toBe(true);
    expect(credentials.value).toBe("[default]\naws_access_key_id = velero\naws_secret_access_key = backup-secret-key\n");
  });

  it("hands the kubeconfig over as a secret, once the nodes passed the label check", async () => {
    const resolved = await value(platform.kubeconfig);
    expect(resolved).toEqual({ value: kubeconfig, secret: true });
  });
});

describe("the contract of a production cluster with external services", () => {
  let platform: Platform;
  beforeAll(async () => {
    ({ platform } = await planPlatform(productionCluster()));
  });

  it("points Gitpod at the external MySQL with its CA, the password secret", async () => {
    const db = platform.database;
    if (db.kind !== "external") throw new Error(`expected external, got ${db.kind}`);
    expect((await value(db.host)).value).toBe("mysql.example.com");
    expect((await value(db.port)).value).toBe(3306);
    expect((await value(db.username)).value).toBe("gitpod");
    expect(await value(db.password)).toEqual({ value: "db-password", secret: true });
    expect((await value(db.caCertificate!)).value).toContain("BEGIN CERTIFICATE");
    expect(db.database).toBe("gitpod");
  });

  it("gives the installer the S3 endpoint as host:port and the bucket's region as Gitpod's region", async () => {
    const storage = platform.objectStorage;
    if (storage.kind !== "s3") throw new Error(`expected s3, got ${storage.kind}`);
    expect(storage.endpoint).toBe("minio.example.com:9000");
    expect(storage.region).toBe("us-east-1");
    expect(platform.metadataRegion).toBe("us-east-1");
    expect(await value(storage.secretAccessKey)).toEqual({ value: "storage-secret-key", secret: true });
  });

  it("logs in to the external registry at the host of its URL", async () => {
    const registry = platform.registry;
    if (registry.kind !== "external") throw new Error(`expected external, got ${registry.kind}`);
    expect((await value(registry.server)).value).toBe("harbor.example.com");
    expect((await value(registry.username)).value).toBe("robot$gitpod");
    expect(await value(registry.password)).toEqual({ value: "registry-password", secret: true });
  });

  it("solves DNS-01 with Route 53 keys from the credentials Secret, the solver block itself free of secrets", async () => {
    const solver = await value(platform.dns.acmeDns01Solver);
    expect(solver.secret).toBe(false);
    expect(solver.value).toEqual({
      route53: {
        region: "us-east-1",
        hostedZoneID: "Z0123456789ABC",
        accessKeyIDSecretRef: { name: "acme-dns01-credentials", key: "access-key-id" },
        secretAccessKeySecretRef: { name: "acme-dns01-credentials", key: "secret-access-key" },
      },
    });
    expect(await value(platform.dns.acmeDns01Credentials!)).toEqual({
      value: { "access-key-id": "AKIAIOSFODNN7EXAMPLE", "secret-access-key": "dns-secret-key" },
      secret: true,
    });
    expect(platform.dns.issuer).toBe("letsencrypt");
  });

  it("runs external-dns on Cloudflare with the token in a file, never in its environment", async () => {
    const target = platform.dns.externalDns!;
    expect(target.provider).toBe("cloudflare");
    expect((await value(target.env!)).value).toEqual({ CF_API_TOKEN: "file:/etc/kubernetes/cloudflare-api-token" });
    expect(await value(target.configFiles!)).toEqual({ value: { "cloudflare-api-token": "cloudflare-token" }, secret: true });
  });

  it("uses the stock containerd paths on a generic cluster and names each role's nodes", async () => {
    expect(platform.containerRuntime).toEqual({ socket: "/run/containerd/containerd.sock", runtimeDir: "/run/containerd/io.containerd.runtime.v2.task/k8s.io" });
    expect((await value(platform.nodePools[1].name)).value).toBe("ws-1,ws-2");
  });
});

describe("the node-label check before anything is installed", () => {
  const nodeFake = existingFakes.outputs["kubernetes:core/v1:Node"];
  afterEach(() => {
    existingFakes.outputs["kubernetes:core/v1:Node"] = nodeFake;
  });

  it("stops the program when the cluster's node lacks the Gitpod labels, naming kubectl label and the k3s flags", async () => {
    existingFakes.outputs["kubernetes:core/v1:Node"] = () => ({ metadata: { labels: { "kubernetes.io/hostname": "gitpod-k3s" } } });
    await planPlatform(k3sTestInstall());
    const { value, error } = await kubeconfigResult;
    expect(value).toBeUndefined();
    expect(error).toBeInstanceOf(ExistingClusterError);
    expect(String(error)).toMatch(
      /node gitpod-k3s lacks the Gitpod labels[\s\S]*kubectl label node gitpod-k3s gitpod.io\/workload_meta=true[\s\S]*--node-label gitpod.io\/workload_workspace_headless=true/,
    );
  });

  it("stops the program when a generic stack's node turns out to run k3s (containerd would not be found)", async () => {
    const labelled = nodeFake;
    existingFakes.outputs["kubernetes:core/v1:Node"] = (inputs, name) => ({ ...labelled(inputs, name), status: { nodeInfo: { kubeletVersion: "v1.33.5+k3s1" } } });
    await planPlatform(productionCluster());
    const { error } = await kubeconfigResult;
    expect(error).toBeInstanceOf(ExistingClusterError);
    expect(String(error)).toMatch(/node meta-1 runs k3s \(kubelet v1.33.5\+k3s1\) but existing.distribution is generic[\s\S]*set existing.distribution: k3s/);
  });

  it("matches the distribution against each node's kubelet, unless the containerd paths are given explicitly", () => {
    expect(distributionProblems({ distribution: "k3s" }, { a: "v1.33.5+k3s1", b: undefined })).toEqual([]);
    expect(distributionProblems({ distribution: "generic" }, { a: "v1.33.5", b: "v1.32.1-eks-1234" })).toEqual([]);
    expect(distributionProblems({ distribution: "k3s" }, { a: "v1.33.5" })).toEqual([
      "node a is not a k3s node (kubelet v1.33.5) but existing.distribution is k3s: ws-daemon would look for containerd under /run/k3s/containerd; set existing.distribution: generic (or existing.containerRuntime to the node's paths)",
    ]);
    expect(distributionProblems({ distribution: "generic" }, { a: "v1.33.5+k3s1" })).toHaveLength(1);
    const explicit = { socket: "/run/k3s/containerd/containerd.sock", runtimeDir: "/run/k3s/containerd/io.containerd.runtime.v2.task/k8s.io" };
    expect(distributionProblems({ distribution: "generic", containerRuntime: explicit }, { a: "v1.33.5+k3s1" })).toEqual([]);
  });

  it("lists, per node, only the labels of that node's roles", () => {
    const nodes = [
      { name: "meta-1", roles: ["services" as const] },
      { name: "ws-1", roles: ["regularWorkspaces" as const, "headlessWorkspaces" as const] },
    ];
    const problems = nodeLabelProblems(
      nodes,
      {
        "meta-1": { "gitpod.io/workload_meta": "true", "gitpod.io/workload_ide": "true", "gitpod.io/workload_workspace_services": "true", "gitpod.io/workload_services": "true" },
        "ws-1": { "gitpod.io/workload_workspace_regular": "true", "gitpod.io/workload_workspace_headless": "false" },
      },
      "generic",
    );
    expect(problems).toEqual([
      "node ws-1 lacks the Gitpod labels of its roles (regularWorkspaces, headlessWorkspaces): gitpod.io/workload_workspace_headless=true. Run: kubectl label node ws-1 gitpod.io/workload_workspace_headless=true",
    ]);
    expect(nodeLabelProblems(nodes, { "meta-1": {} }, "generic")[1]).toMatch(/node ws-1 \(existing.nodes\) is not in the cluster/);
  });

  it("gives a single k3s node the flags of all five Gitpod labels", () => {
    expect(k3sNodeLabelFlags(["services", "regularWorkspaces", "headlessWorkspaces"])).toBe(
      "--node-label gitpod.io/workload_meta=true --node-label gitpod.io/workload_ide=true --node-label gitpod.io/workload_workspace_services=true " +
        "--node-label gitpod.io/workload_services=true --node-label gitpod.io/workload_workspace_regular=true --node-label gitpod.io/workload_workspace_headless=true",
    );
  });
});

describe("secrets of the existing section", () => {
  it("must be Pulumi secrets: a plain-text section stops the program", async () => {
    const failure = await planPlatform(k3sTestInstall(), []).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ConfigError);
    expect(String(failure)).toMatch(/gitpod-platform:existing: holds secrets .* in plain text/);
  });
});
