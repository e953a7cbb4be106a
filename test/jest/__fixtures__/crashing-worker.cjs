const { existsSync, writeFileSync } = require('node:fs');

/** Crashes its process with SIGSEGV the first time it is asked for a marker file, answers after. */
exports.answerAfterOneCrash = (marker) => {
  if (!existsSync(marker)) {
    writeFileSync(marker, '');
    process.kill(process.pid, 'SIGSEGV');
  }
  return `answered by ${process.pid}`;
};

/** Crashes its process with SIGSEGV every time. */
exports.crash = () => {
  process.kill(process.pid, 'SIGSEGV');
};
