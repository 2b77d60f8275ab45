/**
 * The name of the Kubernetes layer's provider (program.ts); the recover command finds the layer's objects by it. A
 * module of its own so that the recover command's logic loads no Kubernetes SDK.
 */
export function kubernetesLayerProviderName(stack: string): string {
  return `${stack}-kubernetes`;
}
