// Preloaded (`node --require`) into the built CLI by the system tests that compare its output
// with the in-process run's (test/helpers/built-cli.ts): the process's clock starts at
// PAPERS_TEST_NOW and runs on from there, as the in-process run's injected clock stands at
// it. papers itself has no clock override: this is the test's, not the product's.
'use strict';
const at = Date.parse(process.env.PAPERS_TEST_NOW ?? '');
if (!Number.isNaN(at)) {
  const RealDate = Date;
  const offset = at - RealDate.now();
  globalThis.Date = class FixedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...args);
    }
    static now() {
      return RealDate.now() + offset;
    }
  };
}
