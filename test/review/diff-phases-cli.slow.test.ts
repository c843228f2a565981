/**
 * `npm run diff-phases` end to end, in process: the script builds the app from the embedded model itself (a full
 * synthesis, as the CLI does) and prints the same promotion review the suite renders from the shared synthesis.
 */
import { DEFAULT_MODEL } from '../../lib/capacity';
import { renderPromotionReport } from '../../lib/review/render-diff';
import { CHURN_TAG_KEYS, diffPhasesReport } from '../../scripts/diff-phases';
import { promotionInput } from '../support/promotion-input';
import { synthesizedPhases } from '../support/synthesized-phases';

test('npm run diff-phases builds the same app and prints the same report', () => {
  const markdown = renderPromotionReport({ phases: promotionInput(synthesizedPhases(DEFAULT_MODEL).phases), modelSource: 'the embedded default model' }, { churnTagKeys: CHURN_TAG_KEYS });
  const fromScript = diffPhasesReport([]);
  expect(fromScript.safe).toBe(true);
  expect(fromScript.markdown).toBe(markdown);
  expect(fromScript.modelSource).toBe('Model: the embedded default (lib/capacity/defaults.ts)');
});
