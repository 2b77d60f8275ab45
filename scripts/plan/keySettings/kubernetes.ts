/** Key settings of Kubernetes resources for the plan tree (see ../keySettings.ts). */
export const kubernetesKeySettings: Record<string, string[]> = {};
