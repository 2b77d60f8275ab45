/**
 * Prints one plain closing line, "jest: N passed, N failed", that CI and humans can read without parsing
 * jest's own summary. Registered in jest.config.js beside the default reporter.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    console.log(`jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}`);
  }
}
module.exports = SummaryReporter;
