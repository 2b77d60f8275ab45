import * as k8s from "../../providers/sdk/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { Gitpod } from "../../components/kubernetes/gitpod";
import { installerNamespace } from "../../components/kubernetes/gitpod/installer";
import { Platform } from "../../components/platform";
import { fakeSecretMarker } from "../../scripts/plan/fakes/random";
import { Plan, PlannedResource, planProgram } from "../../scripts/plan/run";
import { onlyResource, resourcesOfType, withoutImageMirror } from "../helpers";
import * as fx from "./fixtures";
import { renderFacts, shapes } from "./renderFacts";

interface PlanInput {
  platform?: Platform;
  gitpod?: unknown;
  secretKeys?: string[];
  protect?: boolean;
  /** Create a stand-in for the gitpod namespace and pass it as a prerequisite. */
  prerequisite?: boolean;
}

/**
 * The data of each Secret as the cluster would receive it, by Secret name. The plan shows Secrets' data only as
 * "[secret]"; the tests read the values here (outside the plan) to check keys and formats.
 */
let secretData: Record<string, Record<string, string>> = {};

async function planGitpod(cloud: Parameters<typeof fx.gitpodPlatform>[0], input: PlanInput = {}): Promise<Plan> {
  const values = fx.gitpodConfigValues(input.gitpod);
  const config = fx.stackConfigWith(input.gitpod);
  secretData = {};
  return withoutImageMirror(
    await planProgram(
    () => {
      const prerequisite = input.prerequisite ? [new k8s.core.v1.Namespace("prerequisite", { metadata: { name: "gitpod" } })] : [];
      const gitpod = new Gitpod("test", {
        dependsOn: prerequisite,
        platform: input.platform ?? fx.gitpodPlatform(cloud),
        gitpod: config.gitpod,
        protect: input.protect ?? true,
        proxyServiceAnnotations: { "external-dns.alpha.kubernetes.io/hostname": "gitpod.example.com" },
      });
      for (const secret of gitpod.secrets.secrets) {
        pulumi.all([secret.metadata.name, pulumi.unsecret(secret.stringData)]).apply(([name, data]) => {
          secretData[name] = data;
        });
      }
      return { gitpodInstallerConfig: gitpod.installerConfig };
    },
    { project: "gitpod-platform", stack: "test", config: values, secretKeys: input.secretKeys ?? [] },
    ),
  );
}

const secrets = (plan: Plan) =>
  Object.fromEntries(
    resourcesOfType(plan, "kubernetes:core/v1:Secret").map((r) => {
      const metadata = r.inputs.metadata as { name: string; namespace: string };
      return [metadata.name, r];
    }),
  );
const keysOf = (secret: PlannedResource) => Object.keys(secretData[(secret.inputs.metadata as { name: string }).name]).sort();
const installerConfig = (plan: Plan) => YAML.parse(plan.outputs.gitpodInstallerConfig as string);

/** The Secret names and data keys Gitpod 2022.11 reads for each cloud's shape (validation.go, ClusterValidation). */
const expectedSecrets: Record<string, Record<string, string[]>> = {
  gcp: {
    database: ["encryptionKeys", "host", "password", "port", "username"],
    "database-ca": ["ca.crt"],
    "storage-gcp": ["service-account.json"],
    "container-registry": [".dockerconfigjson"],
    "ssh-gateway-host-key": ["host.key"],
  },
  aws: {
    database: ["encryptionKeys", "host", "password", "port", "username"],
    "database-ca": ["ca.crt"],
    "storage-s3": ["accessKeyId", "secretAccessKey"],
    "container-registry-s3-backend": ["s3AccessKey", "s3SecretKey"],
    "ssh-gateway-host-key": ["host.key"],
  },
  azure: {
    database: ["encryptionKeys", "host", "password", "port", "username"],
    "database-ca": ["ca.crt"],
    "storage-azure": ["accountKey", "accountName"],
    "container-registry": [".dockerconfigjson"],
    "ssh-gateway-host-key": ["host.key"],
  },
  inCluster: { "ssh-gateway-host-key": ["host.key"] },
};

describe.each(["gcp", "aws", "azure", "inCluster"] as const)("Gitpod on a %s platform", (cloud) => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planGitpod(cloud);
  });

  it("creates exactly the Secrets the installer config names, in namespace gitpod, with Gitpod's data keys, values secret", () => {
    const found = secrets(plan);
    expect(Object.keys(found).sort()).toEqual(Object.keys(expectedSecrets[cloud]).sort());
    for (const [name, keys] of Object.entries(expectedSecrets[cloud])) {
      expect((found[name].inputs.metadata as { namespace: string }).namespace).toBe("gitpod");
      expect(keysOf(found[name])).toEqual(keys);
      expect(found[name].inputs.stringData).toBe("[secret]");
    }
    if (found["container-registry"]) expect(found["container-registry"].inputs.type).toBe("kubernetes.io/dockerconfigjson");
  });

  it("fills the Secrets from the platform's credentials in Gitpod's formats", () => {
    const data = secretData;
    if (cloud === "gcp") {
      expect(data.database.host).toBe(fx.cloudSqlHost);
      expect(data["storage-gcp"]["service-account.json"]).toBe(`${fx.secretMarker}-gcs-key`);
      const docker = JSON.parse(data["container-registry"][".dockerconfigjson"]);
      const auth = docker.auths["europe-west1-docker.pkg.dev"];
      expect(auth).toMatchObject({ username: "_json_key", password: `${fx.secretMarker}-registry-key` });
      expect(Buffer.from(auth.auth, "base64").toString()).toBe(`_json_key:${fx.secretMarker}-registry-key`);
    }
    if (cloud === "aws") {
      expect(data.database).toMatchObject({ host: "gitpod.abcdefghijkl.eu-west-1.rds.amazonaws.com", port: "3306", username: "gitpod", password: `${fx.secretMarker}-db-password` });
      expect(data["database-ca"]["ca.crt"]).toContain("RDS-CA");
      expect(data["container-registry-s3-backend"]).toEqual({ s3AccessKey: `${fx.secretMarker}-registry-key-id`, s3SecretKey: `${fx.secretMarker}-registry-secret` });
    }
    if (cloud === "azure") expect(data["storage-azure"]).toEqual({ accountName: "gitpodteststorage", accountKey: `${fx.secretMarker}-account-key` });
    const db = data.database;
    if (db) {
      const keys = JSON.parse(db.encryptionKeys);
      expect(keys).toEqual([{ name: "general", version: 1, primary: true, material: `${fakeSecretMarker}-test-db-encryption-key` }]);
    }
  });

  it("every Secret the config refers to exists", () => {
    const config = installerConfig(plan);
    const refs: string[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === "object") {
        const o = node as Record<string, unknown>;
        if (o.kind === "secret" && typeof o.name === "string") refs.push(o.name);
        Object.values(o).forEach(walk);
      }
    };
    walk(config);
    const created = Object.keys(secrets(plan));
    // https-certificates is written by cert-manager from the Kubernetes layer's Certificate.
    expect(refs.filter((r) => r !== "https-certificates").sort()).toEqual(created.sort());
  });

  it("never shows a secret value, in the plan or in the installer config", () => {
    const text = JSON.stringify(plan);
    expect(text).not.toContain(fx.secretMarker);
    expect(text).not.toContain(fakeSecretMarker);
    expect(typeof plan.outputs.gitpodInstallerConfig).toBe("string");
    expect(plan.outputs.gitpodInstallerConfig as string).not.toContain(fx.secretMarker);
  });

  it("puts the installer config into the Job's ConfigMap unchanged", () => {
    const configMap = onlyResource(plan, "kubernetes:core/v1:ConfigMap");
    const data = configMap.inputs.data as Record<string, string>;
    expect(data["gitpod.config.yaml"]).toBe(plan.outputs.gitpodInstallerConfig);
    expect(data["install.sh"]).toContain('helm upgrade "${RELEASE}"');
    expect((configMap.inputs.metadata as { namespace: string }).namespace).toBe(installerNamespace);
  });
});

describe("installer config blocks match each cloud's platform outputs", () => {
  it("gcp", async () => {
    const config = installerConfig(await planGitpod("gcp"));
    // No Cloud SQL proxy (its image sits on b.gcr.io, out of the mirror's reach): an external database over TLS.
    expect(config.database).toEqual({ inCluster: false, external: { certificate: { kind: "secret", name: "database" } }, ssl: { caCert: { kind: "secret", name: "database-ca" } } });
    expect(config.objectStorage.cloudStorage.project).toBe(fx.gcsProject);
    expect(config.containerRegistry.external.url).toBe(fx.artifactRegistryUrl);
    expect(config.metadata.region).toBe("europe-west1");
    expect(config.customization[0].metadata).toEqual({ name: "proxy", annotations: { "external-dns.alpha.kubernetes.io/hostname": "gitpod.example.com" } });
  });
  it("aws", async () => {
    const config = installerConfig(await planGitpod("aws"));
    expect(config.database).toEqual({ inCluster: false, external: { certificate: { kind: "secret", name: "database" } }, ssl: { caCert: { kind: "secret", name: "database-ca" } } });
    expect(config.objectStorage.s3).toMatchObject({ bucket: fx.s3Bucket, endpoint: "s3.eu-west-1.amazonaws.com" });
    expect(config.containerRegistry).toMatchObject({ inCluster: true, s3storage: { bucket: fx.registryBucket, region: "eu-west-1" } });
    expect(config.metadata.region).toBe("eu-west-1");
  });
  it("azure", async () => {
    const config = installerConfig(await planGitpod("azure"));
    expect(config.objectStorage.azure).toEqual({ credentials: { kind: "secret", name: "storage-azure" } });
    expect(config.containerRegistry.external.url).toBe(`${fx.acrServer}/gitpod`);
  });
});

describe("the installer Job", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planGitpod("gcp");
  });

  it("runs the pinned installer image once, waits for readiness and is replaced when its input changes", () => {
    const job = onlyResource(plan, "kubernetes:batch/v1:Job");
    const spec = job.inputs.spec as any;
    const pod = spec.template.spec;
    expect(pod.containers[0].image).toBe("eu.gcr.io/gitpod-core-dev/build/installer:release-2022.11.3");
    expect(pod.containers[0].command).toEqual(["/bin/bash", "/installer/install.sh"]);
    expect(spec.backoffLimit).toBe(0);
    expect(spec.activeDeadlineSeconds).toBe(45 * 60);
    expect(pod.restartPolicy).toBe("Never");
    expect(pod.serviceAccountName).toBe("gitpod-installer");
    expect(pod.nodeSelector).toEqual({ "gitpod.io/workload_meta": "true" });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(pod.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
    expect(spec.template.metadata.annotations["gitpod.io/installer-input-sha256"]).toMatch(/^[a-f0-9]{64}$/);
    expect(job.options.deleteBeforeReplace).toBe(true);
    expect(job.options.customTimeouts).toEqual({ create: "50m", update: "50m", delete: "" });
    const env = Object.fromEntries(pod.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(env).toMatchObject({ NAMESPACE: "gitpod", GITPOD_VERSION: "2022.11.3", WORKSPACE_NODE_DAEMONSET: "gitpod-workspace-node" });
  });

  it("has a deadline that covers every wait of the script plus its fixed steps, and is not evicted by the autoscaler (M1)", () => {
    const spec = onlyResource(plan, "kubernetes:batch/v1:Job").inputs.spec as any;
    const env = Object.fromEntries(spec.template.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
    const minutes = (v: string) => Number(/^(\d+)m$/.exec(v)![1]);
    const waits = minutes(env.CERTIFICATE_TIMEOUT) + minutes(env.WORKSPACE_STOP_TIMEOUT) + minutes(env.HELM_TIMEOUT);
    // The fixed steps: the workspace-node rollout check (2m), validations, render, clearing or rolling back without --wait.
    expect(spec.activeDeadlineSeconds / 60).toBeGreaterThanOrEqual(waits + 5);
    expect(minutes(env.HELM_TIMEOUT)).toBeGreaterThanOrEqual(20);
    expect(spec.template.metadata.annotations["cluster-autoscaler.kubernetes.io/safe-to-evict"]).toBe("false");
  });

  it("starts only after every Secret and its RBAC exist", () => {
    const job = onlyResource(plan, "kubernetes:batch/v1:Job");
    for (const secret of resourcesOfType(plan, "kubernetes:core/v1:Secret")) expect(job.dependencies).toContain(secret.urn);
    expect(job.dependencies).toContain(onlyResource(plan, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding").urn);
    expect(job.dependencies).toContain(onlyResource(plan, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding").urn);
  });

  it("has least RBAC: no wildcard, no escalate, bind only on named ClusterRoles, namespaced rights only in gitpod", () => {
    const role = onlyResource(plan, "kubernetes:rbac.authorization.k8s.io/v1:Role");
    const clusterRole = onlyResource(plan, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole");
    expect((role.inputs.metadata as { namespace: string }).namespace).toBe("gitpod");
    const rules = [...(role.inputs.rules as any[]), ...(clusterRole.inputs.rules as any[])];
    for (const rule of rules) {
      expect([...rule.apiGroups, ...rule.resources, ...rule.verbs]).not.toContain("*");
      expect(rule.verbs).not.toContain("escalate");
      expect(rule.verbs).not.toContain("impersonate");
      if (rule.verbs.includes("bind")) expect(rule.resourceNames.length).toBeGreaterThan(0);
    }
    const clusterResources = (clusterRole.inputs.rules as any[]).flatMap((r) => r.resources);
    expect(clusterResources).not.toContain("secrets");
    expect(clusterResources).not.toContain("deployments");
  });

  it("runs in its own restricted namespace", () => {
    const ns = resourcesOfType(plan, "kubernetes:core/v1:Namespace").map((r) => r.inputs.metadata as any);
    expect(ns).toEqual([expect.objectContaining({ name: installerNamespace, labels: expect.objectContaining({ "pod-security.kubernetes.io/enforce": "restricted" }) })]);
  });

  it("generates the database encryption key once, protected in production", () => {
    const key = onlyResource(plan, "random:index/randomBytes:RandomBytes");
    expect(key.inputs.length).toBe(32);
    expect(key.options.protect).toBe(true);
  });
});

describe("prerequisites (namespace, cert-manager, certificate) come first", () => {
  it("every Secret, the Role in gitpod and the Job wait for them", async () => {
    const plan = await planGitpod("azure", { prerequisite: true });
    const prerequisite = plan.resources.find((r) => r.name === "prerequisite")!;
    const waiting = [
      ...resourcesOfType(plan, "kubernetes:core/v1:Secret"),
      onlyResource(plan, "kubernetes:rbac.authorization.k8s.io/v1:Role"),
      onlyResource(plan, "kubernetes:apps/v1:DaemonSet"),
      onlyResource(plan, "kubernetes:batch/v1:Job"),
    ];
    expect(waiting.length).toBe(8);
    for (const resource of waiting) expect(resource.dependencies).toContain(prerequisite.urn);
  });
});

describe("config and version changes reach the cluster", () => {
  const checksum = (plan: Plan) => (onlyResource(plan, "kubernetes:batch/v1:Job").inputs.spec as any).template.metadata.annotations["gitpod.io/installer-input-sha256"];
  it("a workspace setting changes the ConfigMap and the Job's template", async () => {
    const before = await planGitpod("gcp");
    const after = await planGitpod("gcp", { gitpod: { workspace: { maxLifetime: "12h" } } });
    const data = (p: Plan) => (onlyResource(p, "kubernetes:core/v1:ConfigMap").inputs.data as Record<string, string>)["gitpod.config.yaml"];
    expect(data(after)).toContain("maxLifetime: 12h");
    expect(data(before)).not.toEqual(data(after));
    expect(checksum(before)).not.toEqual(checksum(after));
  });
  it("a version change changes the installer image and the Job's template", async () => {
    const after = await planGitpod("gcp", { gitpod: { version: "2022.11.2" } });
    const pod = (onlyResource(after, "kubernetes:batch/v1:Job").inputs.spec as any).template.spec;
    expect(pod.containers[0].image).toBe("eu.gcr.io/gitpod-core-dev/build/installer:release-2022.11.2.16");
    expect(checksum(after)).not.toEqual(checksum(await planGitpod("gcp")));
  });
});

describe("auth providers and license: secret config stays secret", () => {
  const gitpod = {
    authProviders: [{ id: "Public-GitHub", host: "github.com", type: "GitHub", clientId: "client-id-1", clientSecret: `${fx.secretMarker}-oauth` }],
    license: { key: `${fx.secretMarker}-license` },
  };

  it("creates one Secret per provider and the license Secret, with secret values only", async () => {
    const plan = await planGitpod("gcp", { gitpod, secretKeys: ["gitpod-platform:gitpod"] });
    const found = secrets(plan);
    expect(keysOf(found["auth-provider-public-github"])).toEqual(["provider"]);
    expect(keysOf(found["gitpod-license"])).toEqual(["license", "type"]);
    expect(JSON.stringify(plan)).not.toContain(fx.secretMarker);
    expect(YAML.parse(secretData["auth-provider-public-github"].provider)).toEqual({
      id: "Public-GitHub",
      host: "github.com",
      type: "GitHub",
      oauth: { clientId: "client-id-1", clientSecret: `${fx.secretMarker}-oauth`, callBackUrl: "https://gitpod.example.com/auth/github.com/callback" },
    });
    expect(secretData["gitpod-license"]).toEqual({ license: `${fx.secretMarker}-license`, type: "gitpod" });
    expect(installerConfig(plan).authProviders).toEqual([{ kind: "secret", name: "auth-provider-public-github" }]);
  });

  it("refuses a client secret stored in plain text in the stack file", async () => {
    await expect(planGitpod("gcp", { gitpod, secretKeys: [] })).rejects.toThrow(/gitpod-platform:gitpod: holds a secret .* in plain text; set each with `pulumi config set --secret --path/);
  });

  it("uses an imported encryption key instead of generating one", async () => {
    const plan = await planGitpod("aws", { gitpod: { databaseEncryptionKey: Buffer.alloc(32, 9).toString("base64") }, secretKeys: ["gitpod-platform:gitpod"] });
    expect(resourcesOfType(plan, "random:index/randomBytes:RandomBytes")).toHaveLength(0);
    expect(JSON.parse(secretData.database.encryptionKeys)[0].material).toBe(Buffer.alloc(32, 9).toString("base64"));
    expect(JSON.stringify(plan)).not.toContain(Buffer.alloc(32, 9).toString("base64"));
  });
});

describe("preconditions fail the plan with a clear message", () => {
  it("missing node labels", async () => {
    const platform = fx.gitpodPlatform("aws");
    platform.nodePools = platform.nodePools.map((pool) => (pool.role === "headlessWorkspaces" ? { ...pool, labels: {} } : pool));
    await expect(planGitpod("aws", { platform })).rejects.toThrow(/Gitpod cannot be installed on this platform[\s\S]*gitpod.io\/workload_workspace_headless=true is on no node pool/);
  });
  it("object storage in another region than the metadata region", async () => {
    const platform = { ...fx.gitpodPlatform("gcp"), metadataRegion: "us-central1" };
    await expect(planGitpod("gcp", { platform })).rejects.toThrow(/objectStorage.region europe-west1 differs from metadataRegion us-central1/);
  });
});

describe("SSH gateway for desktop IDEs", () => {
  it("the 2022.11.3 render exposes no SSH port without sshGatewayHostKey (proxy/service.go adds 22 only with it)", () => {
    for (const shape of shapes) {
      const proxy = renderFacts.shapes[shape].services.find((s) => s.name === "proxy")!;
      expect(proxy.type).toBe("LoadBalancer");
      expect(proxy.ports.map((p) => p.port)).not.toContain(22);
    }
  });

  it("names a host key Secret in the config, generated once in the state (Ed25519, protected) and never shown", async () => {
    const plan = await planGitpod("gcp");
    expect(installerConfig(plan).sshGatewayHostKey).toEqual({ kind: "secret", name: "ssh-gateway-host-key" });
    const key = onlyResource(plan, "tls:index/privateKey:PrivateKey");
    expect(key.inputs.algorithm).toBe("ED25519");
    expect(key.options.protect).toBe(true);
    expect(secretData["ssh-gateway-host-key"]["host.key"]).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n.*-test-ssh-host-key\n/);
    expect(JSON.stringify(plan)).not.toContain("BEGIN OPENSSH PRIVATE KEY");
  });

  it("gitpod.sshGateway false: no key, no Secret, no sshGatewayHostKey", async () => {
    const plan = await planGitpod("aws", { gitpod: { sshGateway: false } });
    expect(installerConfig(plan).sshGatewayHostKey).toBeUndefined();
    expect(resourcesOfType(plan, "tls:index/privateKey:PrivateKey")).toHaveLength(0);
    expect(Object.keys(secrets(plan))).not.toContain("ssh-gateway-host-key");
  });
});
