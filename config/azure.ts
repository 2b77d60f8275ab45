import { z } from "zod";

/** Microsoft Azure section of the stack config (`cloud: azure`). */
export const azureSection = z
  .object({
    /** Location of every resource of the stack, such as westeurope. */
    location: z.string().regex(/^[a-z]+[a-z0-9]*$/, "must be an Azure location such as westeurope"),
  })
  .strict();
