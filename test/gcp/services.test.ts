import * as pulumi from "@pulumi/pulumi";
import { CloudDns } from "../../components/gcp/dns";
import { dnsRecordPermissions, WorkloadIdentities } from "../../components/gcp/identity";
import { customRoleId, resourceName, serviceAccountId } from "../../components/gcp/naming";
import { ArtifactRegistry } from "../../components/gcp/registry";
import { gitpodStoragePermissions, GitpodStorage } from "../../components/gcp/storage";
import { DnsInfo, WorkloadBinding } from "../../components/platform";
import { onlyResource, resourcesOfType, valueOf } from "../helpers";
import { planComponent } from "./fixtures";

const project = "my-gitpod-project";

describe("object storage identity", () => {
  it("grants a custom role with bucket and object permissions only, never storage.admin", async () => {
    const plan = await planComponent(() => void new GitpodStorage("s", { project, region: "europe-west1", stack: "prod" }));
    const role = onlyResource(plan, "gcp:projects/iAMCustomRole:IAMCustomRole").inputs;
    expect(role.permissions).toEqual(gitpodStoragePermissions);
    expect((role.permissions as string[]).every((p) => p.startsWith("storage.buckets.") || p.startsWith("storage.objects.") || p.startsWith("storage.multipartUploads."))).toBe(true);
    expect(onlyResource(plan, "gcp:projects/iAMMember:IAMMember").inputs.role).toBe(`projects/offline-project/roles/${customRoleId("prod", "storage")}`);
  });
});

describe("Artifact Registry", () => {
  it("is a protected Docker repository the image builder may write to, and no more", async () => {
    let registry: ArtifactRegistry | undefined;
    const plan = await planComponent(() => {
      registry = new ArtifactRegistry("r", { project, region: "europe-west1", protect: true, stack: "prod" });
    });
    const repository = onlyResource(plan, "gcp:artifactregistry/repository:Repository");
    expect(repository.inputs).toMatchObject({ format: "DOCKER", location: "europe-west1", repositoryId: "gitpod-prod-images" });
    expect(repository.options.protect).toBe(true);
    expect(onlyResource(plan, "gcp:artifactregistry/repositoryIamMember:RepositoryIamMember").inputs.role).toBe("roles/artifactregistry.writer");
    expect(resourcesOfType(plan, "gcp:projects/iAMMember:IAMMember")).toHaveLength(0);
    const reg = registry!.registry;
    if (reg.kind !== "external") throw new Error("expected an external registry");
    expect(await valueOf(reg.url)).toBe("europe-west1-docker.pkg.dev/my-gitpod-project/gitpod-prod-images");
    expect(await valueOf(reg.username)).toBe("_json_key");
    expect(await pulumi.isSecret(reg.password)).toBe(true);
  });
});

describe("Cloud DNS", () => {
  it("creates a protected public zone for the domain with DNSSEC and a workload-identity DNS-01 solver", async () => {
    let dns: DnsInfo | undefined;
    const plan = await planComponent(() => {
      dns = new CloudDns("d", { project, domain: "gitpod.example.com", dnssec: true, protect: true, stack: "prod" }).dns;
    });
    const zone = onlyResource(plan, "gcp:dns/managedZone:ManagedZone");
    expect(zone.inputs).toMatchObject({ dnsName: "gitpod.example.com.", visibility: "public", dnssecConfig: { state: "on" } });
    expect(zone.options.protect).toBe(true);
    expect(await valueOf(dns!.acmeDns01Solver)).toEqual({ cloudDNS: { project, hostedZoneName: "gitpod-prod-zone" } });
    expect(await valueOf(dns!.externalDns!.extraArgs)).toContain(`--google-project=${project}`);
    expect(await valueOf(dns!.nameServers)).toHaveLength(4);
  });
});

describe("workload identities", () => {
  it("binds each tool's Google account to its own Kubernetes service account only", async () => {
    let bindings: Record<string, WorkloadBinding> = {};
    const plan = await planComponent(() => {
      const cluster = new pulumi.ComponentResource("test:Cluster", "cluster");
      bindings = new WorkloadIdentities("i", { project, stack: "prod", cluster }).bindings;
    });
    const members = resourcesOfType(plan, "gcp:serviceaccount/iAMMember:IAMMember").map((m) => m.inputs.member).sort();
    expect(members).toEqual([
      `serviceAccount:${project}.svc.id.goog[cert-manager/cert-manager]`,
      `serviceAccount:${project}.svc.id.goog[external-dns/external-dns]`,
      `serviceAccount:${project}.svc.id.goog[velero/velero]`,
    ]);
    expect(onlyResource(plan, "gcp:projects/iAMCustomRole:IAMCustomRole").inputs.permissions).toEqual(dnsRecordPermissions);
    const dnsGrants = resourcesOfType(plan, "gcp:projects/iAMMember:IAMMember").map((m) => m.name).sort();
    expect(dnsGrants).toEqual(["i-certs-dns", "i-dns-dns"]);
    expect(await valueOf(bindings.certManager.serviceAccountAnnotations)).toEqual({
      "iam.gke.io/gcp-service-account": "gp-prod-certs@offline-project.iam.gserviceaccount.com",
    });
  });
});

describe("GCP naming", () => {
  it("keeps service account ids within 6-30 valid characters", () => {
    expect(serviceAccountId("prod", "storage")).toBe("gp-prod-storage");
    const long = serviceAccountId("a-very-long-stack-name-for-testing", "registry");
    expect(long.length).toBeLessThanOrEqual(30);
    expect(long).toMatch(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/);
    expect(serviceAccountId("x", "s")).toMatch(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/);
  });

  it("makes custom role ids and resource names GCP accepts", () => {
    expect(customRoleId("my-Stack", "dns01")).toBe("gitpod_my_stack_dns01");
    expect(resourceName("prod", "zone")).toBe("gitpod-prod-zone");
    expect(resourceName("x".repeat(80), "zone").length).toBeLessThanOrEqual(63);
  });
});
