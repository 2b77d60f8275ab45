/** Key settings of Azure resources for the plan tree (see ../keySettings.ts). */
export const azureKeySettings: Record<string, string[]> = {};
