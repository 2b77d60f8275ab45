import { PoolRole, StackConfig } from "../../config";

/** The validated config of an AWS stack. */
export type AwsStackConfig = Extract<StackConfig, { cloud: "aws" }>;

/** The ARN partition of a region: aws, aws-us-gov or aws-cn. */
export function partitionOf(region: string): string {
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("cn-")) return "aws-cn";
  return "aws";
}

/** The DNS suffix of a region's service endpoints (amazonaws.com, or amazonaws.com.cn in China). */
export function dnsSuffixOf(region: string): string {
  return region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
}

/** An IAM policy statement (the subset this program writes). */
export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action: string | string[];
  Resource?: string | string[];
  Principal?: Record<string, string | string[]> | "*";
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

/** An IAM policy document as JSON. */
export function policyDocument(statements: PolicyStatement[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** Trust policy that lets an AWS service (eks.amazonaws.com, ec2.amazonaws.com, ...) assume a role. */
export function serviceTrustPolicy(service: string): string {
  return policyDocument([{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }]);
}

/** ARN of an AWS managed policy, e.g. managedPolicyArn("aws", "AmazonEKSClusterPolicy"). */
export function managedPolicyArn(partition: string, policy: string): string {
  return `arn:${partition}:iam::aws:policy/${policy}`;
}

/** A name AWS accepts for clusters and prefixes: lowercase letters, digits and hyphens, at most `max` characters. */
export function awsName(name: string, max = 63): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return cleaned.slice(0, max).replace(/-+$/, "");
}

/** The EKS cluster name of a stack. */
export function clusterNameOf(stack: string): string {
  return awsName(`gitpod-${stack}`, 100);
}

/** Node group names by pool role (kebab-case, as EKS shows them). */
export const nodeGroupSuffix: Record<PoolRole, string> = {
  services: "services",
  regularWorkspaces: "regular-workspaces",
  headlessWorkspaces: "headless-workspaces",
};
