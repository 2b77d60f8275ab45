/**
 * CI reaches the Entra-only AKS cluster: the Kubernetes provider's kubeconfig runs `kubelogin get-token --login
 * <azure.cluster.kubeloginMode>`, so the Azure steps must provide what that mode needs, and the Azure jobs must run where
 * the API server's authorized ranges let them in.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { projectRoot, readStackFile } from "../../scripts/plan/stackFile";

type Json = any;
const load = (file: string): Json => YAML.parse(fs.readFileSync(path.join(projectRoot, file), "utf8"));
const azureSteps = (load(".github/actions/setup-stack/action.yml").runs.steps as Json[]).filter((s) => /cloud == 'azure'/.test(s.if ?? ""));

describe("CI for the Azure stacks", () => {
  it("signs the Azure CLI in with OIDC, because the committed stack's kubelogin uses the azurecli mode", () => {
    const azure = JSON.parse(readStackFile("azure-prod").values["gitpod-platform:azure"]);
    expect(azure.cluster.kubeloginMode).toBe("azurecli");
    const login = azureSteps.find((s) => String(s.uses ?? "").startsWith("azure/login@"));
    expect(login?.with).toEqual({
      "client-id": "${{ inputs.azure-client-id }}",
      "tenant-id": "${{ inputs.azure-tenant-id }}",
      "subscription-id": "${{ inputs.azure-subscription-id }}",
    });
    // No client secret anywhere: the federated GitHub token is the credential.
    expect(JSON.stringify(azureSteps)).not.toMatch(/client-secret|creds/);
  });

  it("installs a pinned kubelogin and checks the release's checksum before putting it on the PATH", () => {
    const install = azureSteps.find((s) => /kubelogin/.test(s.run ?? ""));
    expect(install?.env.KUBELOGIN_VERSION).toMatch(/^v\d+\.\d+\.\d+$/);
    const script = install.run as string;
    expect(script.indexOf("sha256sum --check")).toBeGreaterThan(-1);
    expect(script.indexOf("sha256sum --check")).toBeLessThan(script.indexOf("GITHUB_PATH"));
  });

  it("runs the jobs that reach a cluster on the runner the Azure stacks name (fixed egress), hosted runners otherwise", () => {
    for (const [file, jobs] of [
      ["deploy.yml", ["development", "production-preview", "production"]],
      ["drift.yml", ["preview"]],
      ["pull-request.yml", ["preview"]],
    ] as const) {
      const workflow = load(`.github/workflows/${file}`);
      for (const job of jobs) {
        expect({ file, job, runsOn: workflow.jobs[job]?.["runs-on"] }).toEqual({
          file,
          job,
          runsOn: "${{ matrix.cloud == 'azure' && vars.AZURE_RUNNER || 'ubuntu-24.04' }}",
        });
      }
    }
  });
});
