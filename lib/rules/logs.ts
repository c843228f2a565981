import type * as logs from 'aws-cdk-lib/aws-logs';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import type { ScalabilityRule } from './rule';

export const LOGS_RULES: readonly ScalabilityRule[] = [
  {
    id: 'LOG1',
    level: NagMessageLevel.WARN,
    info: 'The log group has no retention (logs are kept forever).',
    explanation: 'Log volume grows with traffic; without retention the stored bytes, and their bill, grow with every month of it and never shrink.',
    fix: 'Set retention (logs.RetentionDays.ONE_MONTH for application logs, longer only where an audit needs it).',
    check: (node) => {
      if (node.cfnResourceType !== 'AWS::Logs::LogGroup') return NagRuleCompliance.NOT_APPLICABLE;
      return (node as logs.CfnLogGroup).retentionInDays === undefined ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
    },
  },
];
