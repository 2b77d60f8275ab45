/**
 * Keys whose values are secrets (config/existing.ts, config/gitpod.ts, config/azure.ts): a message names them but never
 * shows them, and each must be encrypted (`secure:`) on its own in the stack file.
 */
const secretKeyNames = new Set([
  "kubeconfig",
  "password",
  "secretAccessKey",
  "apiToken",
  "serviceAccountKey",
  "credentials",
  "clientSecret",
  "databaseEncryptionKey",
  "tokenPassword",
]);

/** Whether a key path (e.g. gitpod.authProviders.0.clientSecret, existing.dns01.credentials.token) holds a secret. */
export function isSecretPath(path: readonly PropertyKey[]): boolean {
  return path.some((part) => secretKeyNames.has(String(part))) || path.map(String).join(".").endsWith("license.key");
}
