/** Every rule of the pack, by family. The pack (index.ts) and the tests (test/policy) take them from here. */
import { backupRules } from "./backup";
import { clusterRules } from "./cluster";
import { databaseRules } from "./database";
import { identityRules } from "./identity";
import { kubernetesRules } from "./kubernetes";
import { Rule } from "./lib";
import { protectionRules } from "./protection";
import { storageRules } from "./storage";

export const rules: Rule[] = [...databaseRules, ...storageRules, ...clusterRules, ...identityRules, ...backupRules, ...kubernetesRules, ...protectionRules];
