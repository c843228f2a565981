// Every test file of this directory in one jest suite (one module registry): see test/support/suite-of-files.ts.
import { describeEachTestFileIn } from '../support/suite-of-files';

describeEachTestFileIn(__dirname);
