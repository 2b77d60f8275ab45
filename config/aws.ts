import { z } from "zod";

/** Amazon Web Services section of the stack config (`cloud: aws`). */
export const awsSection = z
  .object({
    /** Region of every resource of the stack, such as eu-west-1. */
    region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "must be an AWS region such as eu-west-1"),
  })
  .strict();
