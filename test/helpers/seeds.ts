/** What test/seeds-samples.test.ts and test/seeds-generated.test.ts both check against. */

export const SAMPLE_IDS = [287230, 286829, 272930];
export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
