/** Types of skipped-suites.reporter.mjs (Jest loads reporters untranspiled, so it is JavaScript). */
export interface AssertionLike {
  status: string;
  title: string;
  ancestorTitles: string[];
}
export default class SkippedSuitesReporter {
  onRunComplete(contexts: unknown, results: { testResults: Array<{ testResults: AssertionLike[] }> }): void;
}
