import { awsKeySettings } from "./keySettings/aws";
import { azureKeySettings } from "./keySettings/azure";
import { gcpKeySettings } from "./keySettings/gcp";
import { kubernetesKeySettings } from "./keySettings/kubernetes";

/**
 * The inputs the plan's tree shows for a resource type: the settings a reviewer checks first.
 * Paths are dot-separated input paths; absent values are skipped.
 */
export const keySettings: Record<string, string[]> = {
  ...gcpKeySettings,
  ...awsKeySettings,
  ...azureKeySettings,
  ...kubernetesKeySettings,
};

export function settingAt(inputs: Record<string, unknown>, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((value, key) => {
    if (value === null || typeof value !== "object") return undefined;
    return (value as Record<string, unknown>)[key];
  }, inputs);
}
