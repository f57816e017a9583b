import { processRepo, type RepoJob } from './process-repo.js';

// A batch worker process: takes one repository at a time from the parent and answers with its
// result. The parsers and templates it loads once serve every repository it is given, which is
// what makes a batch cheaper than one command per repository.

process.on('message', (job: RepoJob) => {
  void processRepo(job).then((result) => process.send!(result));
});
// The parent closing the channel is the signal to stop.
process.on('disconnect', () => process.exit(0));
