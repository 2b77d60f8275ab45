/**
 * Every committed stack, planned through the real program: the Kubernetes layer on each cloud's real platform
 * component. Checks what the "done when" names, and validates what the engine would receive against the
 * upstream schemas, so a cloud whose solver or identity drifts from the contract fails here.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Namespace } from "kubernetes-models/v1";
import { certManagerChart, externalDnsChart } from "../../components/kubernetes/versions";
import { Cloud } from "../../config";
import { writePlan } from "../../scripts/plan/output";
import { Plan, PlannedResource } from "../../scripts/plan/run";
import { committedStacks } from "../../scripts/plan/stackFile";
import { committedPlan, onlyResource, resourcesOfType } from "../helpers";
import {
  certManagerObjectValidator,
  certManagerValuesSchema,
  describeErrors,
  externalDnsDefaults,
  externalDnsValuesSchema,
  helmMerge,
} from "./schemas";

/**
 * What each cloud's workload identity and DNS-01 solver must look like. An existing cluster has no cloud identity
 * (no annotation): its solver and external-dns read keys from Secrets, and the committed k3s stack uses Cloudflare.
 */
const perCloud: Record<Cloud | "existing", { solver: string; identityAnnotation?: string; podLabels: Record<string, string>; provider: string }> = {
  gcp: { solver: "cloudDNS", identityAnnotation: "iam.gke.io/gcp-service-account", podLabels: {}, provider: "google" },
  aws: { solver: "route53", identityAnnotation: "eks.amazonaws.com/role-arn", podLabels: {}, provider: "aws" },
  azure: {
    solver: "azureDNS",
    identityAnnotation: "azure.workload.identity/client-id",
    podLabels: { "azure.workload.identity/use": "true" },
    provider: "azure",
  },
  existing: { solver: "cloudflare", podLabels: {}, provider: "cloudflare" },
};

function chart(plan: Plan, name: string): PlannedResource {
  const found = resourcesOfType(plan, "kubernetes:helm.sh/v4:Chart").filter((r) => r.inputs.chart === name);
  if (found.length !== 1) throw new Error(`expected one ${name} chart, found ${found.length}`);
  return found[0];
}

const stacks = committedStacks();

test("there are committed stacks to check", () => {
  expect(stacks.length).toBeGreaterThan(0);
});

describe.each(stacks)("stack %s", (stack) => {
  let plan: Plan;
  let cloud: Cloud | "existing";
  let domain: string;
  beforeAll(async () => {
    plan = await committedPlan(stack);
    cloud = plan.outputs.cloud as Cloud | "existing";
    domain = plan.outputs.domain as string;
  }, 60000);

  test("both charts are pinned and carry the cloud's workload identity", () => {
    const expected = perCloud[cloud];
    const certManager = chart(plan, "cert-manager");
    const externalDns = chart(plan, "external-dns");
    expect(certManager.inputs.version).toBe(certManagerChart.version);
    expect(externalDns.inputs.version).toBe(externalDnsChart.version);
    for (const c of [certManager, externalDns]) {
      const values = c.inputs.values as { serviceAccount: { annotations: Record<string, string> }; podLabels: Record<string, string> };
      if (expected.identityAnnotation === undefined) {
        expect(values.serviceAccount.annotations).toEqual({});
      } else {
        expect(Object.keys(values.serviceAccount.annotations)).toContain(expected.identityAnnotation);
        expect(values.serviceAccount.annotations[expected.identityAnnotation]).toMatch(/\S/);
      }
      expect(values.podLabels).toEqual(expected.podLabels);
    }
    expect((externalDns.inputs.values as { provider: { name: string } }).provider.name).toBe(expected.provider);
    expect((externalDns.inputs.values as { domainFilters: string[] }).domainFilters).toEqual([domain]);
  });

  test("both ClusterIssuers use the cloud's DNS-01 solver and validate against the CRD schema", () => {
    const issuers = resourcesOfType(plan, "kubernetes:cert-manager.io/v1:ClusterIssuer");
    expect(issuers.map((i) => (i.inputs.metadata as { name: string }).name).sort()).toEqual(["letsencrypt-production", "letsencrypt-staging"]);
    const validate = certManagerObjectValidator("clusterissuer");
    for (const issuer of issuers) {
      const solvers = (issuer.inputs.spec as { acme: { solvers: { dns01: Record<string, unknown> }[] } }).acme.solvers;
      expect(solvers).toHaveLength(1);
      expect(Object.keys(solvers[0].dns01)).toEqual([perCloud[cloud].solver]);
      expect(validate(issuer.inputs) ? [] : describeErrors(validate)).toEqual([]);
    }
  });

  test("the wildcard Certificate validates and covers the stack's domain", () => {
    const certificate = onlyResource(plan, "kubernetes:cert-manager.io/v1:Certificate");
    const validate = certManagerObjectValidator("certificate");
    expect(validate(certificate.inputs) ? [] : describeErrors(validate)).toEqual([]);
    expect((certificate.inputs.spec as { dnsNames: string[] }).dnsNames).toEqual([domain, `*.${domain}`, `*.ws.${domain}`]);
  });

  test("chart values validate against the charts' values schemas", () => {
    const certManager = certManagerValuesSchema();
    expect(certManager(chart(plan, "cert-manager").inputs.values) ? [] : describeErrors(certManager)).toEqual([]);
    const externalDns = externalDnsValuesSchema();
    const merged = helmMerge(externalDnsDefaults(), chart(plan, "external-dns").inputs.values as Record<string, unknown>);
    expect(externalDns(merged) ? [] : describeErrors(externalDns)).toEqual([]);
  });

  test("namespaces validate with kubernetes-models", () => {
    for (const namespace of resourcesOfType(plan, "kubernetes:core/v1:Namespace")) {
      expect(() => new Namespace(namespace.inputs as never).validate()).not.toThrow();
    }
  });

  test("the plan's manifests/ holds both ClusterIssuers and the Certificate", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `plan-${stack}-`));
    try {
      const written = writePlan(plan, dir);
      expect(written).toEqual(
        expect.arrayContaining([
          "manifests/clusterissuer-letsencrypt-production.yaml",
          "manifests/clusterissuer-letsencrypt-staging.yaml",
          "manifests/certificate-gitpod-https-certificates.yaml",
          "manifests/namespace-gitpod.yaml",
        ]),
      );
      const certificate = fs.readFileSync(path.join(dir, "manifests/certificate-gitpod-https-certificates.yaml"), "utf8");
      expect(certificate).toContain(`"*.ws.${domain}"`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
