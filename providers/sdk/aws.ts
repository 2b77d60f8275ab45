/**
 * The parts of @pulumi/aws this program uses, imported module by module. The package root loads and declares all
 * of AWS's ~250 service modules (2,700 declaration files): importing it made the type-check parse them all and
 * every test suite load them. Import this instead of "@pulumi/aws"; add a module here when code needs a new one.
 */
export { Provider } from "@pulumi/aws/provider";
export { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
export { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
export * as cloudwatch from "@pulumi/aws/cloudwatch";
export * as ec2 from "@pulumi/aws/ec2";
export * as ecrpublic from "@pulumi/aws/ecrpublic";
export * as eks from "@pulumi/aws/eks";
export * as iam from "@pulumi/aws/iam";
export * as kms from "@pulumi/aws/kms";
export * as rds from "@pulumi/aws/rds";
export * as route53 from "@pulumi/aws/route53";
export * as s3 from "@pulumi/aws/s3";
export * as ssm from "@pulumi/aws/ssm";
export * as types from "@pulumi/aws/types";
export * as vpc from "@pulumi/aws/vpc";
