/**
 * Jest: skip aws-cdk-lib's built-in CloudFormation validation (a WASM rules engine: ~6 s to start in every test
 * process, ~75 % of synthesis time). The tests run the real cfn-lint over every synthesized template instead
 * (test/phases/cfn-lint.slow.test.ts, in `npm run test:slow`), and test/bin/app.test.ts runs the app with the validation on, as `cdk synth` does.
 */
process.env.CDK_VALIDATION = 'false';
