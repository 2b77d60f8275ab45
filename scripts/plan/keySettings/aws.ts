/** Key settings of AWS resources for the plan tree (see ../keySettings.ts). */
export const awsKeySettings: Record<string, string[]> = {};
