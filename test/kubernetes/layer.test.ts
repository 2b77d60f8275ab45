/**
 * The Kubernetes layer on the mock runtime, once per cloud, with a hand-made Platform of that cloud's shape:
 * the solver, the identities, the DNS names and the chart settings that reach the engine.
 */
import { Namespace, Secret } from "kubernetes-models/v1";
import { Cloud } from "../../config";
import { inClusterTools } from "../../components/platform";
import { certManagerChart, externalDnsChart } from "../../components/kubernetes/versions";
import { Plan, PlannedResource } from "../../scripts/plan/run";
import { onlyResource, resourcesOfType } from "../helpers";
import { cloudCases, domain, layerConfig, planLayer } from "./fixtures";
import {
  certManagerObjectValidator,
  certManagerValuesSchema,
  describeErrors,
  externalDnsDefaults,
  externalDnsValuesSchema,
  helmMerge,
} from "./schemas";

const chartType = "kubernetes:helm.sh/v4:Chart";
const issuerType = "kubernetes:cert-manager.io/v1:ClusterIssuer";
const certificateType = "kubernetes:cert-manager.io/v1:Certificate";

function chart(plan: Plan, name: string): PlannedResource {
  const found = resourcesOfType(plan, chartType).filter((r) => r.inputs.chart === name);
  if (found.length !== 1) throw new Error(`expected one ${name} chart, found ${found.length}`);
  return found[0];
}

function values(resource: PlannedResource): Record<string, any> {
  return resource.inputs.values as Record<string, any>;
}

describe.each(["gcp", "aws", "azure"] as Cloud[])("the Kubernetes layer on %s", (cloud) => {
  const expected = cloudCases[cloud];
  let plan: Plan;
  beforeAll(async () => {
    plan = await planLayer(expected);
  });

  test("both ClusterIssuers solve DNS-01 with the platform's solver, for the stack's zone only", () => {
    const issuers = resourcesOfType(plan, issuerType);
    expect(issuers.map((i) => (i.inputs.metadata as { name: string }).name).sort()).toEqual(["letsencrypt-production", "letsencrypt-staging"]);
    for (const issuer of issuers) {
      const acme = (issuer.inputs.spec as { acme: { solvers: unknown[]; email: string } }).acme;
      expect(acme.email).toBe("ops@example.com");
      expect(acme.solvers).toEqual([{ selector: { dnsZones: [domain] }, dns01: expected.dns01 }]);
    }
  });

  test("the issuers and the certificate, as the engine receives them, validate against the CRD schemas", () => {
    for (const issuer of resourcesOfType(plan, issuerType)) {
      const validate = certManagerObjectValidator("clusterissuer");
      expect(validate(issuer.inputs) ? [] : describeErrors(validate)).toEqual([]);
    }
    const validate = certManagerObjectValidator("certificate");
    expect(validate(onlyResource(plan, certificateType).inputs) ? [] : describeErrors(validate)).toEqual([]);
  });

  test("the wildcard certificate covers <domain>, *.<domain>, *.ws.<domain> in gitpod, from the configured issuer", () => {
    const certificate = onlyResource(plan, certificateType);
    expect(certificate.inputs.metadata).toMatchObject({ name: "https-certificates", namespace: "gitpod" });
    const spec = certificate.inputs.spec as Record<string, any>;
    expect(spec.dnsNames).toEqual([domain, `*.${domain}`, `*.ws.${domain}`]);
    expect(spec.secretName).toBe("https-certificates");
    expect(spec.issuerRef.name).toBe("letsencrypt-production");
  });

  test("cert-manager's controller is bound to its cloud identity", () => {
    const v = values(chart(plan, "cert-manager"));
    expect(v.serviceAccount).toEqual({
      create: true,
      name: inClusterTools.certManager.serviceAccount,
      annotations: expected.certManagerAnnotations,
    });
    expect(v.podLabels).toEqual(expected.podLabels);
  });

  test("external-dns uses the cloud's provider and identity, restricted to the domain", () => {
    const v = values(chart(plan, "external-dns"));
    expect(v.provider).toEqual({ name: expected.externalDnsProvider });
    expect(v.serviceAccount).toEqual({
      create: true,
      name: inClusterTools.externalDns.serviceAccount,
      annotations: expected.externalDnsAnnotations,
    });
    expect(v.podLabels).toEqual(expected.podLabels);
    expect(v.domainFilters).toEqual([domain]);
    expect(v.txtOwnerId).toBe("gitpod-test");
    expect(v.policy).toBe("sync");
    expect(v.extraArgs).toEqual(expect.arrayContaining(expected.externalDnsArgs));
    expect(v.env).toEqual(Object.entries(expected.externalDnsEnv).map(([name, value]) => ({ name, value })));
  });

  test("provider config files reach external-dns through a Secret only where the cloud has some", () => {
    // external-dns's Secrets only (Velero, on every platform's backup target, has its own in its namespace).
    const secrets = resourcesOfType(plan, "kubernetes:core/v1:Secret").filter((r) => (r.inputs.metadata as { namespace?: string }).namespace === "external-dns");
    const v = values(chart(plan, "external-dns"));
    if (expected.configFiles) {
      expect(secrets).toHaveLength(1);
      expect(secrets[0].inputs.stringData).toBe("[secret]");
      expect(secrets[0].inputs.metadata).toMatchObject({ name: "external-dns-provider-config", namespace: "external-dns" });
      expect(v.extraVolumes).toEqual([{ name: "provider-config", secret: { secretName: "external-dns-provider-config" } }]);
      expect(chart(plan, "external-dns").dependencies).toContain(secrets[0].urn);
      // The plan hides the secret's data; validate the object's shape with placeholder data of the same keys.
      const shape = { ...secrets[0].inputs, stringData: Object.fromEntries(Object.keys(expected.configFiles).map((k) => [k, "x"])) };
      expect(() => new Secret(shape as never).validate()).not.toThrow();
    } else {
      expect(secrets).toEqual([]);
      expect(v.extraVolumes).toBeUndefined();
    }
  });

  test("chart values, as the engine receives them, validate against each chart's values schema", () => {
    const certManager = certManagerValuesSchema();
    expect(certManager(values(chart(plan, "cert-manager"))) ? [] : describeErrors(certManager)).toEqual([]);
    const externalDns = externalDnsValuesSchema();
    const merged = helmMerge(externalDnsDefaults(), values(chart(plan, "external-dns")));
    expect(externalDns(merged) ? [] : describeErrors(externalDns)).toEqual([]);
  });
});

describe("the Kubernetes layer's structure", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planLayer(cloudCases.gcp);
  });

  test("charts are rendered object by object (helm.sh/v4 Chart), pinned, in their own namespaces", () => {
    const certManager = chart(plan, "cert-manager");
    expect(certManager.inputs).toMatchObject({
      name: "cert-manager",
      version: certManagerChart.version,
      namespace: "cert-manager",
      repositoryOpts: { repo: certManagerChart.repository },
    });
    const externalDns = chart(plan, "external-dns");
    expect(externalDns.inputs).toMatchObject({
      name: "external-dns",
      version: externalDnsChart.version,
      namespace: "external-dns",
      repositoryOpts: { repo: externalDnsChart.repository },
    });
    expect(resourcesOfType(plan, "kubernetes:helm.sh/v3:Release")).toEqual([]);
  });

  test("namespaces gitpod, cert-manager, external-dns and velero validate with kubernetes-models", () => {
    const namespaces = resourcesOfType(plan, "kubernetes:core/v1:Namespace");
    expect(namespaces.map((n) => (n.inputs.metadata as { name: string }).name).sort()).toEqual(["cert-manager", "external-dns", "gitpod", "gitpod-installer", "gitpod-mirror", "velero"]);
    for (const namespace of namespaces) expect(() => new Namespace(namespace.inputs as never).validate()).not.toThrow();
    const labels = (name: string) =>
      (namespaces.find((n) => (n.inputs.metadata as { name: string }).name === name)!.inputs.metadata as { labels: Record<string, string> }).labels;
    expect(labels("cert-manager")["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    expect(labels("external-dns")["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    expect(labels("gitpod")["pod-security.kubernetes.io/enforce"]).toBe("privileged");
  });

  test("every Kubernetes object and chart goes through the explicit provider", () => {
    const provider = onlyResource(plan, "pulumi:providers:kubernetes");
    const kubernetes = plan.resources.filter((r) => r.type.startsWith("kubernetes:"));
    expect(kubernetes.length).toBeGreaterThan(0);
    for (const resource of kubernetes) expect(resource.provider).toBe(provider.urn);
  });

  test("the provider uses server-side apply, drops an unreachable cluster, and is keyed by the cluster's name", () => {
    const provider = onlyResource(plan, "pulumi:providers:kubernetes");
    // Provider inputs reach the engine as strings.
    expect(provider.inputs).toMatchObject({ enableServerSideApply: "true", deleteUnreachable: "true", clusterIdentifier: "gitpod-test-gcp" });
    expect(provider.inputs.kubeconfig).toBe("[secret]");
  });

  test("issuers wait for cert-manager's chart; the certificate waits for the issuers and the gitpod namespace", () => {
    const certManager = chart(plan, "cert-manager");
    for (const issuer of resourcesOfType(plan, issuerType)) expect(issuer.dependencies).toContain(certManager.urn);
    const certificate = onlyResource(plan, certificateType);
    for (const issuer of resourcesOfType(plan, issuerType)) expect(certificate.dependencies).toContain(issuer.urn);
    const gitpod = resourcesOfType(plan, "kubernetes:core/v1:Namespace").find((n) => (n.inputs.metadata as { name: string }).name === "gitpod")!;
    expect(certificate.dependencies).toContain(gitpod.urn);
  });

  test("charts wait for their namespaces", () => {
    const namespaces = resourcesOfType(plan, "kubernetes:core/v1:Namespace");
    const urnOf = (name: string) => namespaces.find((n) => (n.inputs.metadata as { name: string }).name === name)!.urn;
    expect(chart(plan, "cert-manager").dependencies).toContain(urnOf("cert-manager"));
    expect(chart(plan, "external-dns").dependencies).toContain(urnOf("external-dns"));
  });

  test("the stack exports the gitpod namespace and the certificate's Secret for the Gitpod work", () => {
    expect(plan.outputs).toMatchObject({ gitpodNamespace: "gitpod", certificateSecretName: "https-certificates" });
  });
});

describe("the Kubernetes layer follows the stack config", () => {
  test("the staging issuer, resolvers, external-dns policy and owner id come from config", async () => {
    const plan = await planLayer(
      cloudCases.aws,
      layerConfig({
        environment: "development",
        certificates: { acmeEmail: "dev@example.com", issuer: "letsencrypt-staging", recursiveNameservers: ["9.9.9.9:53"] },
        externalDns: { policy: "upsert-only", ownerId: "gitpod-dev-eu" },
      }),
    );
    expect((onlyResource(plan, certificateType).inputs.spec as { issuerRef: { name: string } }).issuerRef.name).toBe("letsencrypt-staging");
    const certManager = values(chart(plan, "cert-manager"));
    expect(certManager.dns01RecursiveNameservers).toBe("9.9.9.9:53");
    expect(certManager.replicaCount).toBe(1);
    const externalDns = values(chart(plan, "external-dns"));
    expect(externalDns.policy).toBe("upsert-only");
    expect(externalDns.txtOwnerId).toBe("gitpod-dev-eu");
    for (const issuer of resourcesOfType(plan, issuerType)) {
      expect((issuer.inputs.spec as { acme: { email: string } }).acme.email).toBe("dev@example.com");
    }
  });
});
