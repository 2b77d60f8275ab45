/**
 * The pure builders of the Kubernetes layer (chart values, ClusterIssuer, Certificate), tested directly and
 * validated against the upstream schemas. Each schema check is shown to fail on a misspelt field.
 */
import { Namespace } from "kubernetes-models/v1";
import { gitpodCertificate } from "../../components/kubernetes/certificate";
import { clusterIssuer, issuerNames } from "../../components/kubernetes/issuers";
import { namespaceMetadata } from "../../components/kubernetes/namespace";
import {
  certManagerValues,
  CertManagerValuesInput,
  defaultOwnerId,
  externalDnsValues,
  ExternalDnsValuesInput,
  gitpodHostnames,
  proxyServiceAnnotations,
} from "../../components/kubernetes/values";
import { certManagerChart, externalDnsChart, letsEncryptServers } from "../../components/kubernetes/versions";
import { gitpodNodeLabels } from "../../components/platform";
import { certificatesSection } from "../../config/certificates";
import {
  certManagerObjectValidator,
  certManagerValuesSchema,
  describeErrors,
  externalDnsDefaults,
  externalDnsSchemaJson,
  externalDnsValuesSchema,
  helmMerge,
  unknownTopLevelKeys,
  vendoredChart,
} from "./schemas";

const certManagerInput: CertManagerValuesInput = {
  serviceAccountName: "cert-manager",
  identity: {
    serviceAccountAnnotations: { "azure.workload.identity/client-id": "11111111-2222-3333-4444-555555555555" },
    podLabels: { "azure.workload.identity/use": "true" },
  },
  recursiveNameservers: ["8.8.8.8:53", "1.1.1.1:53"],
  nodeSelector: gitpodNodeLabels.services,
  highAvailability: true,
};

const externalDnsInput: ExternalDnsValuesInput = {
  provider: "aws",
  domain: "gitpod.example.com",
  ownerId: "gitpod-prod",
  policy: "sync",
  providerArgs: ["--aws-zone-type=public"],
  env: { AWS_DEFAULT_REGION: "eu-west-1" },
  serviceAccountName: "external-dns",
  identity: { serviceAccountAnnotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/dns" }, podLabels: {} },
  nodeSelector: gitpodNodeLabels.services,
};

describe("cert-manager values", () => {
  const values = certManagerValues(certManagerInput) as Record<string, any>;

  test("validate against the chart's values schema", () => {
    const validate = certManagerValuesSchema();
    expect(validate(values) ? [] : describeErrors(validate)).toEqual([]);
  });

  test("a misspelt key fails the chart's values schema", () => {
    const validate = certManagerValuesSchema();
    expect(validate({ ...values, dns01RecursiveNameserver: "8.8.8.8:53" })).toBe(false);
    expect(validate({ ...values, serviceAccount: { ...values.serviceAccount, anotations: {} } })).toBe(false);
  });

  test("CRDs are managed by the chart", () => {
    expect(values.crds).toEqual({ enabled: true, keep: true });
  });

  test("the controller carries the workload identity, on its service account and pods", () => {
    expect(values.serviceAccount).toEqual({
      create: true,
      name: "cert-manager",
      annotations: { "azure.workload.identity/client-id": "11111111-2222-3333-4444-555555555555" },
    });
    expect(values.podLabels).toEqual({ "azure.workload.identity/use": "true" });
  });

  test("DNS-01 checks use only the configured recursive resolvers", () => {
    expect(values.dns01RecursiveNameservers).toBe("8.8.8.8:53,1.1.1.1:53");
    expect(values.dns01RecursiveNameserversOnly).toBe(true);
  });

  test("every image is pinned to the chart's release", () => {
    for (const image of [values.image, values.webhook.image, values.cainjector.image, values.acmesolver.image]) {
      expect(image.tag).toBe(certManagerChart.version);
    }
  });

  test("production runs two replicas with disruption budgets; development one without", () => {
    for (const part of [values, values.webhook, values.cainjector]) {
      expect(part.replicaCount).toBe(2);
      expect(part.podDisruptionBudget).toEqual({ enabled: true, minAvailable: 1 });
    }
    const dev = certManagerValues({ ...certManagerInput, highAvailability: false }) as Record<string, any>;
    expect(dev.replicaCount).toBe(1);
    expect(dev.podDisruptionBudget.enabled).toBe(false);
  });

  test("pods run on the services pool; the startup hook is off", () => {
    expect(values.global.nodeSelector).toEqual(gitpodNodeLabels.services);
    expect(values.startupapicheck).toEqual({ enabled: false });
  });
});

describe("external-dns values", () => {
  const values = externalDnsValues(externalDnsInput) as Record<string, any>;
  const merged = () => helmMerge(externalDnsDefaults(), values);

  test("merged over the chart's values.yaml, validate against its values schema", () => {
    const validate = externalDnsValuesSchema();
    expect(validate(merged()) ? [] : describeErrors(validate)).toEqual([]);
  });

  test("every top-level key is one the chart knows", () => {
    expect(unknownTopLevelKeys(values, externalDnsDefaults(), externalDnsSchemaJson())).toEqual([]);
    expect(unknownTopLevelKeys({ ...values, txtOwnerID: "x" }, externalDnsDefaults(), externalDnsSchemaJson())).toEqual(["txtOwnerID"]);
  });

  test("a wrong value fails the chart's values schema", () => {
    const validate = externalDnsValuesSchema();
    expect(validate(helmMerge(externalDnsDefaults(), { ...values, policy: "upsert" }))).toBe(false);
    expect(validate(helmMerge(externalDnsDefaults(), { ...values, image: { ...values.image, tags: "v0.21.0" } }))).toBe(false);
  });

  test("restricted to the domain, owner id and policy explicit, TXT registry", () => {
    expect(values.domainFilters).toEqual(["gitpod.example.com"]);
    expect(values.txtOwnerId).toBe("gitpod-prod");
    expect(values.policy).toBe("sync");
    expect(values.registry).toBe("txt");
    expect(values.sources).toEqual(["service"]);
  });

  test("the apex's ownership record stays inside the zone and wildcards get a valid TXT name", () => {
    expect(values.txtPrefix).toMatch(/%\{record_type\}.*\.$/);
    expect(values.extraArgs).toContain("--txt-wildcard-replacement=wildcard");
  });

  test("provider, its flags and environment come from the platform", () => {
    expect(values.provider).toEqual({ name: "aws" });
    expect(values.extraArgs).toEqual(expect.arrayContaining(["--aws-zone-type=public"]));
    expect(values.env).toEqual([{ name: "AWS_DEFAULT_REGION", value: "eu-west-1" }]);
  });

  test("the image is pinned to the chart's appVersion", () => {
    expect(externalDnsChart.version).toBe(vendoredChart("external-dns-chart").version);
    expect(values.image.tag).toBe(`v${vendoredChart("external-dns-chart").appVersion}`);
  });

  test("provider config files are mounted read-only from the named Secret, only when there are some", () => {
    expect(values.extraVolumes).toBeUndefined();
    const withFiles = externalDnsValues({ ...externalDnsInput, configSecretName: "external-dns-provider-config" }) as Record<string, any>;
    expect(withFiles.extraVolumes).toEqual([{ name: "provider-config", secret: { secretName: "external-dns-provider-config" } }]);
    expect(withFiles.extraVolumeMounts).toEqual([{ name: "provider-config", mountPath: "/etc/kubernetes", readOnly: true }]);
    const validate = externalDnsValuesSchema();
    expect(validate(helmMerge(externalDnsDefaults(), withFiles)) ? [] : describeErrors(validate)).toEqual([]);
  });
});

describe("ClusterIssuers", () => {
  const solver = { route53: { region: "eu-west-1", hostedZoneID: "Z0123456789EXAMPLE" } };

  test.each(issuerNames)("%s validates against the ClusterIssuer CRD schema", (name) => {
    const validate = certManagerObjectValidator("clusterissuer");
    const issuer = clusterIssuer({ name, email: "ops@example.com", domain: "gitpod.example.com", dns01: solver });
    expect(validate(issuer) ? [] : describeErrors(validate)).toEqual([]);
    expect(issuer.spec).toEqual({
      acme: {
        server: letsEncryptServers[name],
        email: "ops@example.com",
        privateKeySecretRef: { name: `${name}-account-key` },
        solvers: [{ selector: { dnsZones: ["gitpod.example.com"] }, dns01: solver }],
      },
    });
  });

  test("the issuer names are exactly the values the stack config accepts", () => {
    expect([...issuerNames].sort()).toEqual([...certificatesSection.shape.issuer.unwrap().options].sort());
  });

  test("a misspelt field fails the CRD schema, also inside the cloud's solver", () => {
    const validate = certManagerObjectValidator("clusterissuer");
    const issuer = clusterIssuer({ name: "letsencrypt-staging", email: "ops@example.com", domain: "gitpod.example.com", dns01: solver });
    const acme = issuer.spec.acme as Record<string, unknown>;
    expect(validate({ ...issuer, spec: { acme: { ...acme, emial: "ops@example.com" } } })).toBe(false);
    const misspeltSolver = clusterIssuer({
      name: "letsencrypt-staging",
      email: "ops@example.com",
      domain: "gitpod.example.com",
      dns01: { route53: { region: "eu-west-1", hostedZoneId: "Z0123456789EXAMPLE" } },
    });
    expect(validate(misspeltSolver)).toBe(false);
    expect(describeErrors(validate).join("\n")).toContain("hostedZoneId");
  });
});

describe("the Gitpod certificate", () => {
  const certificate = gitpodCertificate({ namespace: "gitpod", domain: "gitpod.example.com", issuer: "letsencrypt-staging" });

  test("validates against the Certificate CRD schema", () => {
    const validate = certManagerObjectValidator("certificate");
    expect(validate(certificate) ? [] : describeErrors(validate)).toEqual([]);
  });

  test("a misspelt field fails the CRD schema", () => {
    const validate = certManagerObjectValidator("certificate");
    expect(validate({ ...certificate, spec: { ...certificate.spec, dnsName: ["gitpod.example.com"] } })).toBe(false);
    const privateKey = certificate.spec.privateKey as Record<string, unknown>;
    expect(validate({ ...certificate, spec: { ...certificate.spec, privateKey: { ...privateKey, algorithm: "RSA2" } } })).toBe(false);
  });

  test("is https-certificates in gitpod for the domain, its wildcard and the workspaces' wildcard", () => {
    expect(certificate.metadata).toMatchObject({ name: "https-certificates", namespace: "gitpod" });
    expect(certificate.spec.secretName).toBe("https-certificates");
    expect(certificate.spec.dnsNames).toEqual(["gitpod.example.com", "*.gitpod.example.com", "*.ws.gitpod.example.com"]);
    expect(certificate.spec.issuerRef).toEqual({ group: "cert-manager.io", kind: "ClusterIssuer", name: "letsencrypt-staging" });
  });
});

describe("names", () => {
  test("Gitpod's host names and the proxy's external-dns annotation cover the same three names", () => {
    expect(gitpodHostnames("a.example.org")).toEqual(["a.example.org", "*.a.example.org", "*.ws.a.example.org"]);
    expect(proxyServiceAnnotations("a.example.org")).toEqual({
      "external-dns.alpha.kubernetes.io/hostname": "a.example.org,*.a.example.org,*.ws.a.example.org",
    });
  });

  test("the default owner id is a DNS label derived from the stack", () => {
    expect(defaultOwnerId("prod")).toBe("gitpod-prod");
    expect(defaultOwnerId("Team_A.Prod")).toBe("gitpod-team-a-prod");
    expect(defaultOwnerId("x".repeat(80))).toHaveLength(63);
  });

  test("namespaces validate with kubernetes-models; a wrongly typed label fails", () => {
    const namespace = { apiVersion: "v1" as const, kind: "Namespace" as const, metadata: namespaceMetadata("gitpod", "privileged") };
    expect(() => new Namespace(namespace).validate()).not.toThrow();
    const bad = { ...namespace, metadata: { ...namespace.metadata, labels: { "pod-security.kubernetes.io/enforce": 1 } } };
    expect(() => new Namespace(bad as never).validate()).toThrow();
  });
});
