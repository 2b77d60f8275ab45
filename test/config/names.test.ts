import { problemsOf } from "./validation";
import { minimalAwsConfig as aws, minimalAzureConfig as azure, minimalGcpConfig } from "../helpers";

describe("cloud names built from the stack name (components' naming functions)", () => {
  it.each([
    ["GCP service account ids (6-30)", minimalGcpConfig, "production-europe-west-one-main", 'is too long for the GCP service account id (6-30 lowercase letters, digits, hyphens): it is cut to "gp-production-europe-w-storage"'],
    ["Cloud Storage bucket names (63)", { ...minimalGcpConfig, gcp: { project: "a-rather-long-gcp-project-id", region: "europe-west1" } }, "gitpod-production-europe-west1-team", "is too long for the Cloud Storage bucket name (3-63 characters)"],
    ["AKS DNS prefixes (54, cut to 40)", azure, "a-very-long-stack-name-for-the-azure-production", "is too long for the AKS DNS prefix"],
    ["GKE cluster names (40)", minimalGcpConfig, "gitpod-production-europe-west1-team", "is too long for the GKE cluster name (at most 40 lowercase letters, digits, hyphens)"],
    // The node groups' suffixes are the longest, so they bound the RDS identifier (`<cluster>-mysql`, 63) too.
    ["EKS node group names (63)", aws, "aws-production-eu-west-1-platform-team-blue-green-canary", "gives two of its cloud names the same name"],
    ["a stack name with no letter or digit", aws, "__", "has no letter or digit"],
  ])("refuses %s", (_what, config, stack, words) => {
    expect(problemsOf(config, { stack }).join("\n")).toContain(`stack name ${JSON.stringify(stack)} `);
    expect(problemsOf(config, { stack }).join("\n")).toContain(words);
  });

  it("accepts the committed stacks' names and a long AWS one that still fits", () => {
    expect(problemsOf(minimalGcpConfig, { stack: "prod" })).toEqual([]);
    expect(problemsOf(aws, { stack: "aws-prod-eu-west-1-team-platform" })).toEqual([]);
    expect(problemsOf(azure, { stack: "azure-prod" })).toEqual([]);
  });
});
