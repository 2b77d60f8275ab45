import { GitpodPlatformFacts } from "../../components/kubernetes/gitpod/installerConfig";
import { databaseConnectionProblems, gitpodPreconditionProblems, requiredAffinityLabels } from "../../components/kubernetes/gitpod/preconditions";
import { scaleFromZeroLabels } from "../../components/kubernetes/gitpod";
import { gitpodNodeLabels, ubuntuContainerd } from "../../components/platform";
import { stackConfigWith } from "./fixtures";

const gitpod = stackConfigWith(undefined).gitpod;
const good: GitpodPlatformFacts = {
  domain: "gitpod.example.com",
  proxyServiceAnnotations: {},
  metadataRegion: "eu-west-1",
  containerRuntime: ubuntuContainerd,
  nodePools: [
    { role: "services", labels: gitpodNodeLabels.services },
    { role: "regularWorkspaces", labels: gitpodNodeLabels.regularWorkspaces },
    { role: "headlessWorkspaces", labels: gitpodNodeLabels.headlessWorkspaces },
  ],
  database: { kind: "external", tls: true },
  objectStorage: { kind: "s3", endpoint: "s3.eu-west-1.amazonaws.com", region: "eu-west-1", bucket: "b" },
  registry: { kind: "inClusterS3", bucket: "r", region: "eu-west-1", endpoint: "s3.eu-west-1.amazonaws.com" },
};

describe("Gitpod preconditions", () => {
  it("the contract's pools carry every label the 2022.11 installer requires for kind Full", () => {
    expect(gitpodPreconditionProblems(gitpod, good)).toEqual([]);
    const all = Object.assign({}, ...Object.values(gitpodNodeLabels));
    for (const label of requiredAffinityLabels) expect(all[label]).toBe("true");
  });

  it("names each missing node label", () => {
    const facts = { ...good, nodePools: [good.nodePools[0], { role: "regularWorkspaces" as const, labels: {} }, good.nodePools[2]] };
    expect(gitpodPreconditionProblems(gitpod, facts)).toEqual([
      expect.stringContaining("node label gitpod.io/workload_workspace_regular=true is on no node pool"),
    ]);
  });

  it("rejects workspaces sharing nodes with Gitpod's services", () => {
    const facts = { ...good, nodePools: [{ role: "services" as const, labels: { ...gitpodNodeLabels.services, ...gitpodNodeLabels.regularWorkspaces } }, good.nodePools[2]] };
    expect(gitpodPreconditionProblems(gitpod, facts).join("\n")).toMatch(/node pool services carries both workspace and gitpod.io\/workload_meta labels/);
  });

  it("needs the object storage region to be the metadata region (Gitpod uses metadata.region for S3 and GCS)", () => {
    const facts = { ...good, metadataRegion: "us-east-1" };
    expect(gitpodPreconditionProblems(gitpod, facts)).toEqual([expect.stringMatching(/objectStorage.region eu-west-1 differs from metadataRegion us-east-1/)]);
  });

  it("pools that may scale to zero: only labels no always-running pool carries are tolerated as missing", () => {
    const pools = good.nodePools;
    expect(scaleFromZeroLabels({ nodePools: pools as never }, { services: 1, regularWorkspaces: 0, headlessWorkspaces: 0 })).toEqual([
      "gitpod.io/workload_workspace_headless",
      "gitpod.io/workload_workspace_regular",
    ]);
    expect(scaleFromZeroLabels({ nodePools: pools as never }, { services: 1, regularWorkspaces: 1, headlessWorkspaces: 1 })).toEqual([]);
    expect(scaleFromZeroLabels({ nodePools: pools as never }, {})).toEqual([]);
  });

  it("checks the registry URL and containerd paths", () => {
    const facts: GitpodPlatformFacts = { ...good, registry: { kind: "external", url: "https://registry.example.com/gitpod/" }, containerRuntime: { socket: "run/containerd.sock", runtimeDir: "/x" } };
    const problems = gitpodPreconditionProblems(gitpod, facts).join("\n");
    expect(problems).toMatch(/registry.url "https:\/\/registry.example.com\/gitpod\/" must be a repository prefix/);
    expect(problems).toMatch(/containerRuntime socket \(run\/containerd.sock\).*must be absolute paths/);
  });

  it("an imported encryption key needs an external database", () => {
    const imported = stackConfigWith({ databaseEncryptionKey: Buffer.alloc(32, 1).toString("base64") }).gitpod;
    expect(gitpodPreconditionProblems(imported, { ...good, database: { kind: "inCluster" } })).toEqual([expect.stringMatching(/databaseEncryptionKey is set but the platform's database is in-cluster/)]);
  });

  it("checks the database connection values without showing the password", () => {
    expect(databaseConnectionProblems({ host: "db.example.com", port: 3306, username: "gitpod", password: "pw" })).toEqual([]);
    const problems = databaseConnectionProblems({ host: "", port: 70000, username: "", password: "" });
    expect(problems).toEqual([
      'database host "" is not a host name or IP address',
      "database port 70000 is not a TCP port",
      "database username is empty",
      "database password is empty (the value is not shown)",
    ]);
  });
});
