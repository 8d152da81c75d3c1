/**
 * A Jest reporter beside the default one: after the summary, one line naming every skipped suite by
 * its title, which says why it is skipped (the EventStoreDB and MongoDB contract suites without
 * EVENTSTORE_URL / MONGODB_URL). The default reporter only counts them ("2 skipped"). Prints nothing
 * when nothing was skipped.
 */
export default class SkippedSuitesReporter {
  onRunComplete(_contexts, results) {
    const titles = new Set();
    for (const file of results.testResults)
      for (const test of file.testResults)
        if (test.status === 'pending' || test.status === 'skipped') titles.add(test.ancestorTitles[0] ?? test.title);
    if (titles.size > 0) process.stderr.write(`Skipped, not passed: ${[...titles].sort().join('; ')}.\n`);
  }
}
