import * as pulumi from "@pulumi/pulumi";
import { CloudDns } from "../../components/gcp/dns";
import { dnsRecordPermissions, WorkloadIdentities } from "../../components/gcp/identity";
import { customRoleId, resourceName, serviceAccountId } from "../../components/gcp/naming";
import { ArtifactRegistry } from "../../components/gcp/registry";
import { keyCreationPolicy } from "../../components/gcp/orgPolicy";
import { gitpodBucketPermissions, gitpodBucketsCondition, GitpodStorage } from "../../components/gcp/storage";
import { DnsInfo, WorkloadBinding } from "../../components/platform";
import { onlyResource, resourcesOfType, valueOf } from "../helpers";
import { planComponent } from "./fixtures";

const project = "my-gitpod-project";
const keyPolicy = { rotation: "2026-01-01", preflight: project };

describe("object storage identity", () => {
  it("may create buckets project-wide but act only on Gitpod's own buckets, so its key cannot touch the Velero bucket", async () => {
    const plan = await planComponent(() => void new GitpodStorage("s", { project, location: "eu", stack: "prod", keyPolicy }));
    const members = Object.fromEntries(resourcesOfType(plan, "gcp:projects/iAMMember:IAMMember").map((m) => [m.name, m.inputs as Record<string, any>]));
    expect(members["s-create"].role).toBe(`projects/offline-project/roles/${customRoleId("prod", "storage_create")}`);
    expect(members["s-create"].condition).toBeUndefined();
    expect(members["s-buckets"].condition).toEqual(gitpodBucketsCondition());
    const roles = Object.fromEntries(resourcesOfType(plan, "gcp:projects/iAMCustomRole:IAMCustomRole").map((r) => [r.name, r.inputs.permissions as string[]]));
    expect(roles["s-create-role"]).toEqual(["storage.buckets.create"]);
    expect(roles["s-buckets-role"]).toEqual(gitpodBucketPermissions);
    // Nothing in Gitpod 2022.11.3 updates or lists buckets or updates objects; those would let a key holder turn off
    // versioning, soft delete or turbo replication.
    for (const permission of ["storage.buckets.update", "storage.buckets.list", "storage.objects.update", "storage.buckets.create"]) {
      expect(roles["s-buckets-role"]).not.toContain(permission);
    }
  });

  it("conditions on the bucket names Gitpod 2022.11 uses, not on the Velero bucket's", () => {
    const { expression } = gitpodBucketsCondition();
    expect(expression).toContain('resource.name.startsWith("projects/_/buckets/gitpod-dev-user-")');
    const matches = (bucket: string) =>
      [...expression.matchAll(/startsWith\("([^"]+)"\)/g)].some(([, prefix]) => `projects/_/buckets/${bucket}/objects/x`.startsWith(prefix));
    expect(matches("gitpod-dev-user-0123")).toBe(true);
    expect(matches("example-gitpod-prod-prod-velero")).toBe(false);
  });

  it("rotates the key when gcp.keyRotation changes and creates it only after the organisation-policy preflight", async () => {
    const plan = await planComponent(() => void new GitpodStorage("s", { project, location: "eu", stack: "prod", keyPolicy }));
    expect(onlyResource(plan, "gcp:serviceaccount/key:Key").inputs.keepers).toEqual({ rotation: "2026-01-01" });
    expect(keyCreationPolicy([])).toBe("inherited");
    expect(keyCreationPolicy([{ enforced: true }])).toBe("forbidden");
    expect(keyCreationPolicy([{ enforced: false }])).toBe("allowed");
  });
});

describe("Artifact Registry", () => {
  it("is a protected Docker repository the image builder may write to, and no more", async () => {
    let registry: ArtifactRegistry | undefined;
    const plan = await planComponent(() => {
      registry = new ArtifactRegistry("r", { project, region: "europe-west1", protect: true, stack: "prod", writer: { keyPolicy } });
    });
    const repository = onlyResource(plan, "gcp:artifactregistry/repository:Repository");
    expect(repository.inputs).toMatchObject({ format: "DOCKER", location: "europe-west1", repositoryId: "gitpod-prod-images" });
    expect(repository.options.protect).toBe(true);
    expect(repository.inputs.cleanupPolicies).toContainEqual({ id: "keep-recent", action: "KEEP", mostRecentVersions: { keepCount: 5 } });
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
    expect(zone.inputs.forceDestroy).toBe(false);
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
      bindings = new WorkloadIdentities("i", { project, stack: "prod", cluster, dnsZone: "gitpod-prod-zone" }).bindings;
    });
    const members = resourcesOfType(plan, "gcp:serviceaccount/iAMMember:IAMMember").map((m) => m.inputs.member).sort();
    expect(members).toEqual([
      `serviceAccount:${project}.svc.id.goog[cert-manager/cert-manager]`,
      `serviceAccount:${project}.svc.id.goog[external-dns/external-dns]`,
      `serviceAccount:${project}.svc.id.goog[velero/velero]`,
    ]);
    const roles = Object.fromEntries(resourcesOfType(plan, "gcp:projects/iAMCustomRole:IAMCustomRole").map((r) => [r.name, r.inputs.permissions]));
    expect(roles["i-dns-role"]).toEqual(dnsRecordPermissions);
    expect(roles["i-dns-list-role"]).toEqual(["dns.managedZones.list"]);
    // Record changes on the stack's zone only; the project-wide grant lists zones and nothing else.
    const zoneGrants = resourcesOfType(plan, "gcp:dns/dnsManagedZoneIamMember:DnsManagedZoneIamMember");
    expect(zoneGrants.map((m) => m.name).sort()).toEqual(["i-certs-dns", "i-dns-dns"]);
    expect(zoneGrants.every((m) => m.inputs.managedZone === "gitpod-prod-zone" && m.inputs.role === "projects/offline-project/roles/gitpod_prod_dns01")).toBe(true);
    const projectGrants = resourcesOfType(plan, "gcp:projects/iAMMember:IAMMember");
    expect(projectGrants.map((m) => m.name).sort()).toEqual(["i-certs-dns-list", "i-dns-dns-list"]);
    expect(projectGrants.every((m) => m.inputs.role === "projects/offline-project/roles/gitpod_prod_dns_list")).toBe(true);
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
    expect(resourceName("x".repeat(80), "zone")).toMatch(/-zone$/);
  });
});
