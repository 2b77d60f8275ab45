/**
 * What the offline plan answers for a cloud: the outputs a provider would compute for a resource type (on top of
 * its inputs), and the results of data-source calls. Values are derived from the inputs so that the plan stays
 * readable; they are placeholders, never real cloud data.
 */
export interface CloudFakes {
  outputs: Record<string, (inputs: Record<string, any>, name: string) => Record<string, unknown>>;
  calls: Record<string, (inputs: Record<string, any>) => Record<string, unknown>>;
}
