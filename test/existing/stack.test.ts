/**
 * The committed k3s stack (Pulumi.k3s.yaml) through the real program, and variants of it: the plan holds the
 * Kubernetes layer only, the installer config fits k3s, and each dependency choice (in-cluster or external), each
 * certificate choice (Let's Encrypt through a DNS-01 solver, or a private CA) and external-dns on or off shows up
 * as the objects it needs, validated against the upstream schemas.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { stackContext } from "../../policy/context";
import { evaluate, fromPlanned } from "../../policy/evaluate";
import { rules } from "../../policy/rules";
import { writePlan } from "../../scripts/plan/output";
import { Plan, planStack, PlannedResource } from "../../scripts/plan/run";
import { readStackFile } from "../../scripts/plan/stackFile";
import { committedPlan, onlyResource, resourcesOfType } from "../helpers";
import { certManagerObjectValidator, describeErrors } from "../kubernetes/schemas";

const existingKey = "gitpod-platform:existing";
const committedExisting = JSON.parse(readStackFile("k3s").values[existingKey]) as Record<string, unknown>;

/** The k3s stack with parts of its `existing` section replaced (the secrets stay config secrets). */
function variant(overrides: Record<string, unknown>): Promise<Plan> {
  const existing = Object.fromEntries(Object.entries({ ...committedExisting, ...overrides }).filter(([, v]) => v !== undefined));
  return planStack("k3s", { configOverrides: { [existingKey]: JSON.stringify(existing) } });
}

function installerConfig(plan: Plan): Record<string, any> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-k3s-"));
  try {
    writePlan(plan, dir);
    return YAML.parse(fs.readFileSync(path.join(dir, "gitpod.config.yaml"), "utf8"));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function chart(plan: Plan, name: string): PlannedResource | undefined {
  return resourcesOfType(plan, "kubernetes:helm.sh/v4:Chart").find((r) => r.inputs.chart === name);
}

const secretNamesIn = (plan: Plan, namespace: string) =>
  resourcesOfType(plan, "kubernetes:core/v1:Secret")
    .filter((s) => (s.inputs.metadata as any).namespace === namespace)
    .map((s) => (s.inputs.metadata as any).name)
    .sort();

describe("the committed k3s stack", () => {
  let plan: Plan;
  let config: Record<string, any>;
  beforeAll(async () => {
    plan = await committedPlan("k3s");
    config = installerConfig(plan);
  });

  it("plans the Kubernetes layer only: no resource of any cloud", () => {
    const types = [...new Set(plan.resources.map((r) => r.type))];
    expect(types.filter((t) => /^(gcp|aws|azure|azure-native|google-native)[:-]/.test(t))).toEqual([]);
    const custom = plan.resources.filter((r) => r.custom).map((r) => r.type);
    expect(custom.filter((t) => !t.startsWith("kubernetes:") && t !== "pulumi:providers:kubernetes" && !t.startsWith("random:") && !t.startsWith("tls:"))).toEqual([]);
    expect(types).toEqual(expect.arrayContaining(["kubernetes:helm.sh/v4:Chart", "kubernetes:batch/v1:Job", "gitpod:existing:ExistingPlatform"]));
  });

  it("points ws-daemon at k3s's containerd and uses Gitpod's in-cluster MySQL, MinIO and registry", () => {
    expect(config.workspace.runtime).toMatchObject({
      containerdSocket: "/run/k3s/containerd/containerd.sock",
      containerdRuntimeDir: "/run/k3s/containerd/io.containerd.runtime.v2.task/k8s.io",
    });
    expect(config.database).toEqual({ inCluster: true });
    expect(config.objectStorage).toEqual({ inCluster: true });
    expect(config.containerRegistry).toEqual({ inCluster: true, privateBaseImageAllowList: [] });
    expect(config.metadata.region).toBe("on-premises");
    expect(config.customCACert).toBeUndefined();
    // Only the SSH gateway's host key: MySQL, MinIO and the registry are Gitpod's in-cluster ones.
    expect(secretNamesIn(plan, "gitpod")).toEqual(["ssh-gateway-host-key"]);
  });

  it("solves DNS-01 with Cloudflare, its token in a Secret beside cert-manager that the issuers wait for", () => {
    const credentials = resourcesOfType(plan, "kubernetes:core/v1:Secret").find((s) => (s.inputs.metadata as any).name === "acme-dns01-credentials")!;
    expect(credentials.inputs.metadata).toMatchObject({ namespace: "cert-manager" });
    expect(credentials.inputs.stringData).toBe("[secret]");
    const validate = certManagerObjectValidator("clusterissuer");
    for (const issuer of resourcesOfType(plan, "kubernetes:cert-manager.io/v1:ClusterIssuer")) {
      expect((issuer.inputs.spec as any).acme.solvers[0].dns01).toEqual({ cloudflare: { apiTokenSecretRef: { name: "acme-dns01-credentials", key: "api-token" } } });
      expect(validate(issuer.inputs) ? [] : describeErrors(validate)).toEqual([]);
      expect(issuer.dependencies).toContain(credentials.urn);
    }
    // Production Let's Encrypt: containerd on the node trusts no staging CA when it pulls from registry-facade.
    expect((onlyResource(plan, "kubernetes:cert-manager.io/v1:Certificate").inputs.spec as any).issuerRef.name).toBe("letsencrypt-production");
  });

  it("runs external-dns on Cloudflare with the token read from its mounted file", () => {
    const values = chart(plan, "external-dns")!.inputs.values as any;
    expect(values.provider).toEqual({ name: "cloudflare" });
    expect(values.env).toEqual([{ name: "CF_API_TOKEN", value: "file:/etc/kubernetes/cloudflare-api-token" }]);
    expect(values.serviceAccount.annotations).toEqual({});
    expect(secretNamesIn(plan, "external-dns")).toEqual(["external-dns-provider-config"]);
  });

  it("backs up with Velero into the S3-compatible location, with its keys in Velero's credentials Secret", () => {
    const location = onlyResource(plan, "kubernetes:velero.io/v1:BackupStorageLocation");
    expect(location.inputs.spec).toMatchObject({
      provider: "velero.io/aws",
      objectStorage: { bucket: "example-gitpod-k3s-backups" },
      config: { region: "eu-central-1", s3Url: "https://s3.eu-central-1.amazonaws.com", s3ForcePathStyle: "true" },
    });
    expect((chart(plan, "velero")!.inputs.values as any).credentials).toEqual({ useSecret: true, existingSecret: "velero-cloud-credentials" });
    expect(secretNamesIn(plan, "velero")).toEqual(["velero-cloud-credentials", "velero-repo-credentials"]);
    expect((onlyResource(plan, "kubernetes:velero.io/v1:Schedule").inputs.spec as any).template.snapshotVolumes).toBe(false);
  });

  it("reads the node through its own provider, so nothing is registered on a cluster that fails the check", () => {
    const providers = resourcesOfType(plan, "pulumi:providers:kubernetes").map((p) => p.name).sort();
    expect(providers).toEqual(["k3s-kubernetes", "k3s-node-check"]);
    expect(plan.outputs.nodePools).toEqual([
      expect.objectContaining({ role: "services", name: "gitpod-k3s" }),
      expect.objectContaining({ role: "regularWorkspaces", name: "gitpod-k3s" }),
      expect.objectContaining({ role: "headlessWorkspaces", name: "gitpod-k3s" }),
    ]);
  });
});

describe("variants of the k3s stack", () => {
  it("external MySQL, S3-compatible storage and an external registry become the installer's external blocks and their Secrets", async () => {
    const plan = await variant({
      database: { kind: "external", host: "10.0.0.5", port: 3307, password: "db-password-value" },
      objectStorage: { kind: "s3", endpoint: "https://minio.example.com:9000", region: "us-east-1", bucket: "gitpod", accessKeyId: "gitpod", secretAccessKey: "storage-key-value" },
      registry: { kind: "external", url: "harbor.example.com/gitpod", username: "robot", password: "registry-password-value" },
    });
    const config = installerConfig(plan);
    expect(config.database).toEqual({ inCluster: false, external: { certificate: { kind: "secret", name: "database" } } });
    expect(config.objectStorage.s3).toMatchObject({ endpoint: "minio.example.com:9000", bucket: "gitpod" });
    expect(config.containerRegistry.external).toMatchObject({ url: "harbor.example.com/gitpod" });
    expect(config.metadata.region).toBe("us-east-1");
    expect(secretNamesIn(plan, "gitpod")).toEqual(["container-registry", "database", "ssh-gateway-host-key", "storage-s3"]);
    const text = JSON.stringify(plan);
    for (const secret of ["db-password-value", "storage-key-value", "registry-password-value"]) expect(text).not.toContain(secret);
  });

  it("the in-cluster registry on the S3 store gets the store's endpoint, region and key", async () => {
    const plan = await variant({
      objectStorage: { kind: "s3", endpoint: "https://minio.example.com:9000", region: "us-east-1", bucket: "gitpod", accessKeyId: "gitpod", secretAccessKey: "k" },
      registry: { kind: "inClusterS3", bucket: "gitpod-registry" },
    });
    expect(installerConfig(plan).containerRegistry).toMatchObject({
      inCluster: true,
      s3storage: { bucket: "gitpod-registry", region: "us-east-1", endpoint: "minio.example.com:9000" },
    });
    expect(secretNamesIn(plan, "gitpod")).toEqual(["container-registry-s3-backend", "ssh-gateway-host-key", "storage-s3"]);
  });

  it("selfSigned replaces the Let's Encrypt issuers with a private CA that Gitpod trusts", async () => {
    const plan = await variant({ dns01: { solver: "selfSigned" } });
    const issuers = resourcesOfType(plan, "kubernetes:cert-manager.io/v1:ClusterIssuer");
    expect(issuers.map((i) => (i.inputs.metadata as any).name).sort()).toEqual(["gitpod-ca", "gitpod-selfsigned"]);
    const certificates = resourcesOfType(plan, "kubernetes:cert-manager.io/v1:Certificate");
    const ca = certificates.find((c) => (c.inputs.metadata as any).name === "gitpod-ca")!;
    const gitpod = certificates.find((c) => (c.inputs.metadata as any).name === "https-certificates")!;
    expect(ca.inputs.spec).toMatchObject({ isCA: true, secretName: "gitpod-ca", issuerRef: { name: "gitpod-selfsigned" } });
    expect((ca.inputs.metadata as any).namespace).toBe("cert-manager");
    expect((gitpod.inputs.spec as any).issuerRef).toEqual({ group: "cert-manager.io", kind: "ClusterIssuer", name: "gitpod-ca" });
    const caIssuer = issuers.find((i) => (i.inputs.metadata as any).name === "gitpod-ca")!;
    expect(caIssuer.dependencies).toContain(ca.urn);
    expect(gitpod.dependencies).toContain(caIssuer.urn);
    for (const issuer of issuers) {
      const validate = certManagerObjectValidator("clusterissuer");
      expect(validate(issuer.inputs) ? [] : describeErrors(validate)).toEqual([]);
    }
    for (const certificate of certificates) {
      const validate = certManagerObjectValidator("certificate");
      expect(validate(certificate.inputs) ? [] : describeErrors(validate)).toEqual([]);
    }
    expect(installerConfig(plan).customCACert).toEqual({ kind: "secret", name: "https-certificates" });
    expect(secretNamesIn(plan, "cert-manager")).toEqual([]);
  });

  it("a webhook solver passes its group, name and config through and keeps its credentials in the Secret", async () => {
    const plan = await variant({
      dns01: { solver: "webhook", groupName: "acme.hetzner.example", solverName: "hetzner", config: { secretName: "acme-dns01-credentials", zoneName: "example.com" }, credentials: { "api-key": "hetzner-key-value" } },
    });
    for (const issuer of resourcesOfType(plan, "kubernetes:cert-manager.io/v1:ClusterIssuer")) {
      expect((issuer.inputs.spec as any).acme.solvers[0].dns01).toEqual({
        webhook: { groupName: "acme.hetzner.example", solverName: "hetzner", config: { secretName: "acme-dns01-credentials", zoneName: "example.com" } },
      });
      const validate = certManagerObjectValidator("clusterissuer");
      expect(validate(issuer.inputs) ? [] : describeErrors(validate)).toEqual([]);
    }
    expect(secretNamesIn(plan, "cert-manager")).toEqual(["acme-dns01-credentials"]);
    expect(JSON.stringify(plan)).not.toContain("hetzner-key-value");
  });

  it("a webhook solver without credentials gets no credentials Secret", async () => {
    const plan = await variant({ dns01: { solver: "webhook", groupName: "acme.example.net", solverName: "internal-dns" } });
    expect(secretNamesIn(plan, "cert-manager")).toEqual([]);
    const issuer = resourcesOfType(plan, "kubernetes:cert-manager.io/v1:ClusterIssuer")[0];
    expect((issuer.inputs.spec as any).acme.solvers[0].dns01).toEqual({ webhook: { groupName: "acme.example.net", solverName: "internal-dns", config: {} } });
  });

  it("route53 and cloudDNS solvers validate against cert-manager's schema", async () => {
    for (const dns01 of [
      { solver: "route53", region: "us-east-1", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "k" },
      { solver: "cloudDNS", project: "my-dns-project", serviceAccountKey: "{}" },
    ]) {
      const plan = await variant({ dns01 });
      const issuer = resourcesOfType(plan, "kubernetes:cert-manager.io/v1:ClusterIssuer")[0];
      const validate = certManagerObjectValidator("clusterissuer");
      expect(validate(issuer.inputs) ? [] : describeErrors(validate)).toEqual([]);
      expect(Object.keys((issuer.inputs.spec as any).acme.solvers[0].dns01)).toEqual([dns01.solver]);
    }
  });

  it("without externalDns nothing publishes records: no external-dns chart, namespace or Secret", async () => {
    const plan = await variant({ externalDns: undefined });
    expect(chart(plan, "external-dns")).toBeUndefined();
    expect(resourcesOfType(plan, "kubernetes:core/v1:Namespace").map((n) => (n.inputs.metadata as any).name)).not.toContain("external-dns");
    expect(chart(plan, "cert-manager")).toBeDefined();
  });

  it("a production cluster with external MySQL and S3 storage passes every rule of the policy pack", async () => {
    const overrides = {
      "gitpod-platform:environment": "production",
      [existingKey]: JSON.stringify({
        ...committedExisting,
        database: { kind: "external", host: "mysql.example.com", password: "p" },
        objectStorage: { kind: "s3", endpoint: "https://minio.example.com:9000", region: "us-east-1", bucket: "gitpod", accessKeyId: "gitpod", secretAccessKey: "k" },
        // Production installs from a mirror: an external registry holds it (under <url>/mirror).
        registry: { kind: "external", url: "harbor.example.com/gitpod", username: "gitpod", password: "p" },
      }),
      // Not the committed stack's hand-filled registry: the mirror the external registry provides.
      "gitpod-platform:gitpod": JSON.stringify({}),
    };
    const plan = await planStack("k3s", { configOverrides: overrides });
    const findings = evaluate(rules, plan.resources.map(fromPlanned), stackContext("k3s", { ...readStackFile("k3s").values, ...overrides }));
    expect(findings.map((f) => `${f.level} ${f.rule}: ${f.message}`)).toEqual([]);
    expect(resourcesOfType(plan, "kubernetes:helm.sh/v4:Chart").find((c) => c.inputs.chart === "cert-manager")!.inputs.values).toMatchObject({ replicaCount: 2 });
    // Production installs from the mirror under the external registry, filled by the copy Job with its login.
    const installerConfig = resourcesOfType(plan, "kubernetes:core/v1:ConfigMap").find((c) => (c.inputs.metadata as { namespace: string }).namespace === "gitpod-installer")!;
    expect((installerConfig.inputs.data as Record<string, string>)["gitpod.config.yaml"]).toContain("repository: harbor.example.com/gitpod/mirror\n");
    expect(resourcesOfType(plan, "kubernetes:batch/v1:Job").map((job) => job.name)).toEqual(expect.arrayContaining(["k3s-gitpod-images-copy", "k3s-gitpod-images-preflight"]));
  });

  it("a generic cluster gets the stock containerd paths", async () => {
    const config = installerConfig(await variant({ distribution: "generic" }));
    expect(config.workspace.runtime).toMatchObject({ containerdSocket: "/run/containerd/containerd.sock" });
  });
});
