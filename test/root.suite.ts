// Every test file directly in test/ in one jest suite (one module registry): see test/support/suite-of-files.ts.
import { describeEachTestFileIn } from './support/suite-of-files';

describeEachTestFileIn(__dirname);
