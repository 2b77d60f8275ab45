import { parseStackConfig } from "../../config";
import { configProblems, configValues, minimalGcpConfig } from "../helpers";

const validGcp = minimalGcpConfig;


describe("valid config", () => {
  it("fills the reference architecture's defaults for GCP", () => {
    const config = parseStackConfig(configValues(validGcp));
    expect(config.cloud).toBe("gcp");
    expect(config.nodePools.services).toEqual({ machineType: "n2d-standard-4", diskSizeGb: 100, diskType: "pd-ssd", minNodes: 1, maxNodes: 4 });
    for (const role of ["regularWorkspaces", "headlessWorkspaces"] as const) {
      expect(config.nodePools[role]).toEqual({ machineType: "n2d-standard-16", diskSizeGb: 512, diskType: "pd-ssd", minNodes: 1, maxNodes: 50 });
    }
    expect(config.database).toEqual({ version: "8.0", supportPlan: "extended", machineType: "db-custom-2-7680", diskSizeGb: 20, backupRetentionDays: 7, highAvailability: true });
    expect(config.protect).toBe(true);
    expect(config.cluster.kubernetesVersion).toBe("1.35");
    expect(config.certificates.issuer).toBe("letsencrypt-production");
    if (config.cloud !== "gcp") throw new Error("narrowing");
    expect(config.gcp.network).toMatchObject({ podsCidr: "10.16.0.0/14", privateNodes: true, masterAuthorizedNetworks: [] });
    expect(config.gcp.secretsEncryption).toBe(true);
  });

  it("turns protection and HA off by default in development, and lets either be set explicitly", () => {
    const dev = parseStackConfig(configValues({ ...validGcp, environment: "development" }));
    expect(dev.protect).toBe(false);
    expect(dev.database.highAvailability).toBe(false);
    const devProtected = parseStackConfig(configValues({ ...validGcp, environment: "development", protect: "true" }));
    expect(devProtected.protect).toBe(true);
  });

  it("keeps pool defaults for the keys a stack does not set", () => {
    const config = parseStackConfig(configValues({ ...validGcp, nodePools: { regularWorkspaces: { maxNodes: 10 } } }));
    expect(config.nodePools.regularWorkspaces).toMatchObject({ machineType: "n2d-standard-16", maxNodes: 10, minNodes: 1 });
  });

  it("ignores other namespaces, such as provider settings", () => {
    expect(() => parseStackConfig({ ...configValues(validGcp), "gcp:project": "something-else" })).not.toThrow();
  });
});

describe("invalid config is rejected with the key, the value and what is allowed", () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    ["unknown cloud", { cloud: "gce" }, ["gitpod-platform:cloud", '"gce"', "gcp, aws, azure"]],
    ["missing cloud", { cloud: undefined }, ["gitpod-platform:cloud", "gcp, aws, azure"]],
    ["unknown environment", { environment: "prod" }, ["gitpod-platform:environment", '"prod"', "production"]],
    ["missing domain", { domain: undefined }, ["gitpod-platform:domain is required"]],
    ["domain with uppercase", { domain: "Gitpod.Example.com" }, ["gitpod-platform:domain", "Gitpod.Example.com", "lowercase DNS name"]],
    ["single-label domain", { domain: "gitpod" }, ["gitpod-platform:domain", '"gitpod"', "at least two labels"]],
    ["domain with a scheme", { domain: "https://gitpod.example.com" }, ["gitpod-platform:domain", "https://"]],
    ["domain with a label over 63 characters", { domain: `${"a".repeat(64)}.example.com` }, ["gitpod-platform:domain"]],
    ["protect not a boolean", { protect: "yes" }, ["gitpod-platform:protect", '"yes"', "true or false"]],
    ["pool min above max", { nodePools: { services: { minNodes: 5 } } }, ["gitpod-platform:nodePools.services.minNodes", "5", "maxNodes (4)"]],
    ["pool min above an explicit max", { nodePools: { headlessWorkspaces: { minNodes: 3, maxNodes: 2 } } }, ["nodePools.headlessWorkspaces.minNodes", "= 3", "maxNodes (2)"]],
    ["pool size of the wrong type", { nodePools: { services: { maxNodes: "four" } } }, ["gitpod-platform:nodePools.services.maxNodes", '"four"', "expected number"]],
    ["fractional node count", { nodePools: { services: { maxNodes: 2.5 } } }, ["nodePools.services.maxNodes", "2.5", "whole number"]],
    ["negative min nodes", { nodePools: { regularWorkspaces: { minNodes: -1 } } }, ["nodePools.regularWorkspaces.minNodes", "-1", "from 0 to 1000"]],
    ["disk too small", { nodePools: { regularWorkspaces: { diskSizeGb: 10 } } }, ["nodePools.regularWorkspaces.diskSizeGb", "10", "from 30 to 4096"]],
    ["misspelt pool key", { nodePools: { services: { maxNode: 3 } } }, ["gitpod-platform:nodePools.services.maxNode: unknown key", "maxNodes"]],
    ["unknown pool", { nodePools: { workspaces: {} } }, ["gitpod-platform:nodePools.workspaces: unknown key", "regularWorkspaces"]],
    ["misspelt top-level key", { nodepools: {} }, ["gitpod-platform:nodepools: unknown key", "nodePools"]],
    ["section of another cloud", { aws: { region: "eu-west-1" } }, ["gitpod-platform:aws: unknown key", "gcp"]],
    ["missing cloud section", { gcp: undefined }, ["gitpod-platform:gcp is required"]],
    ["invalid project id", { gcp: { project: "My_Project", region: "europe-west1" } }, ["gitpod-platform:gcp.project", "My_Project", "GCP project id"]],
    ["invalid region", { gcp: { project: "my-gitpod-project", region: "Europe West" } }, ["gitpod-platform:gcp.region", "Europe West", "europe-west1"]],
    ["invalid zone", { gcp: { project: "my-gitpod-project", region: "europe-west1", zones: ["b"] } }, ["gitpod-platform:gcp.zones.0", '"b"']],
    ["invalid CIDR", { gcp: { project: "my-gitpod-project", region: "europe-west1", network: { podsCidr: "10.16.0.0/33" } } }, ["gitpod-platform:gcp.network.podsCidr", "10.16.0.0/33", "IPv4 CIDR"]],
    ["private nodes not a boolean", { gcp: { project: "my-gitpod-project", region: "europe-west1", network: { privateNodes: "yes" } } }, ["gcp.network.privateNodes", '"yes"', "expected boolean"]],
    ["unsupported MySQL version", { database: { version: "5.6" } }, ["gitpod-platform:database.version", '"5.6"', '"5.7"', '"8.0"']],
    ["backup retention out of range", { database: { backupRetentionDays: 0 } }, ["gitpod-platform:database.backupRetentionDays", "0", "from 1 to 35"]],
    ["invalid Kubernetes version", { cluster: { kubernetesVersion: "latest" } }, ["gitpod-platform:cluster.kubernetesVersion", '"latest"', "1.33"]],
    ["numeric Kubernetes version", { cluster: { kubernetesVersion: 1.3 } }, ["gitpod-platform:cluster.kubernetesVersion", "1.3", "expected string"]],
    ["invalid ACME e-mail", { certificates: { acmeEmail: "ops-at-example" } }, ["gitpod-platform:certificates.acmeEmail", "ops-at-example", "e-mail"]],
    ["missing ACME e-mail", { certificates: {} }, ["gitpod-platform:certificates.acmeEmail is required"]],
    ["unknown issuer", { certificates: { acmeEmail: "ops@example.com", issuer: "letsencrypt" } }, ["gitpod-platform:certificates.issuer", '"letsencrypt"', "letsencrypt-staging"]],
    ["dnssec not a boolean", { dns: { dnssec: "on" } }, ["gitpod-platform:dns.dnssec", '"on"', "expected boolean"]],
  ];

  it.each(cases)("%s", (_title, change, expected) => {
    const message = configProblems({ ...validGcp, ...change }).join("\n");
    for (const part of expected) expect(message).toContain(part);
  });

  it("reports every problem at once, not only the first", () => {
    const problems = configProblems({ ...validGcp, domain: "x", environment: "staging", nodePools: { services: { minNodes: "9" } } });
    expect(problems.length).toBeGreaterThanOrEqual(3);
  });

  it("rejects a structured value that is not valid JSON", () => {
    expect(() => parseStackConfig({ ...configValues(validGcp), "gitpod-platform:nodePools": "{services:" })).toThrow(
      /gitpod-platform:nodePools = \{services:/,
    );
  });
});
