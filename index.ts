/**
 * The Pulumi program: read and validate the stack config, build the cloud's reference architecture, build the
 * Kubernetes layer on it, export what operators need. Nothing is registered before the config is valid.
 */
import * as pulumi from "@pulumi/pulumi";
import { readStackConfig } from "./config";
import { createPlatform } from "./components/platforms";

const config = readStackConfig();
const stack = pulumi.getStack();
const platform = createPlatform(stack, config);

export const cloud = config.cloud;
export const domain = config.domain;
export const clusterName = platform.clusterName;
/** Secret: use `pulumi stack output kubeconfig --show-secrets > kubeconfig`. */
export const kubeconfig = pulumi.secret(platform.kubeconfig);
/** Delegate the domain to these name servers at the registrar. */
export const nameServers = platform.dns.nameServers;
export const nodePools = platform.nodePools.map((pool) => ({ role: pool.role, name: pool.name, labels: pool.labels }));
