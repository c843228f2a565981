import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { reachesDatabase } from './database-clients';
import { resolveNumber } from './resolve';
import type { ScalabilityRule } from './rule';

export const LAMBDA_RULES: readonly ScalabilityRule[] = [
  {
    id: 'LMB1',
    level: NagMessageLevel.WARN,
    info: 'The Lambda function reaches a relational database but has no reserved concurrency.',
    explanation: 'Lambda scales to the account\'s concurrency limit (1,000 by default) in seconds, one database connection per instance: a traffic spike becomes a connection storm that exhausts max_connections and takes the database down for every other client.',
    fix: 'Set reservedConcurrentExecutions to what the database\'s connection budget allows (and connect through RDS Proxy).',
    check: (node) => {
      if (node.cfnResourceType !== 'AWS::Lambda::Function') return NagRuleCompliance.NOT_APPLICABLE;
      const fn = node as lambda.CfnFunction;
      if (!reachesDatabase(node)) return NagRuleCompliance.NOT_APPLICABLE;
      const reserved = resolveNumber(node, fn.reservedConcurrentExecutions);
      return reserved !== undefined && reserved > 0 ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    },
  },
];
