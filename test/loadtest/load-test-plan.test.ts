import { DEFAULT_MODEL, loadModel, LoadTestPlan, parseCapacity, planLoadTest, planLoadTests, planModel, PhasePlan } from '../../lib/capacity';

const stageSummary = (t: LoadTestPlan, entry: 'edge' | 'origin') =>
  t.profiles[entry].stages.map((s) => [s.name, s.durationSec.value, s.targetRps.value]);

describe('planLoadTest on the default model (Phase 1: 1,600 RPS daily peak, SLO p95 < 500 ms, errors < 0.5 %)', () => {
  const model = loadModel();
  const plans = planModel(model);
  const [p1] = plans;
  const t = planLoadTest(model, p1);

  test('edge target = the daily peak; origin target = what CloudFront does not answer', () => {
    expect(t.profiles.edge.targetRps.value).toBe(1600);
    // 9 reads per write: reads 90 % x cacheable 40 % x CDN hit 90 % = 32.4 % offloaded; 1,600 x 0.676 = 1,081.6
    expect(p1.traffic.cdnOffloadShare.value).toBeCloseTo(0.324, 9);
    expect(t.profiles.origin.targetRps.value).toBe(1082);
    expect(t.profiles.edge.targetRps.why).toMatch(/CloudFront URL/);
    expect(t.profiles.origin.targetRps.why).toMatch(/load balancer/);
    expect(t.defaultEntry.value).toBe('edge');
  });

  test('stages: warm-up to the target, ramp to 3x over ten scale-out cooldowns, hold, settle, 30-minute soak, cool-down', () => {
    expect(p1.api.scaleOutCooldownSec.value).toBe(90);
    expect(stageSummary(t, 'edge')).toEqual([
      ['warm-up', 300, 1600],
      ['ramp', 900, 4800],
      ['hold', 300, 4800],
      ['settle', 120, 1600],
      ['soak', 1800, 1600],
      ['cool-down', 60, 0],
    ]);
    expect(stageSummary(t, 'origin').map((s) => s[2])).toEqual([1082, 3246, 3246, 1082, 1082, 0]);
    expect(t.profiles.edge.peakRps.value).toBe(3 * 1600);
    expect(t.totalSec.value).toBe(3480);
    expect(t.soakSec.value).toBe(1800);
  });

  test("VUs by Little's law from the predicted p95 (preallocated) and the SLO p95 (max), margin 2", () => {
    const predictedSec = p1.api.predictedP95Ms.value / 1000;
    expect(t.profiles.edge.preAllocatedVUs.value).toBe(Math.ceil(4800 * predictedSec * 2));
    expect(t.profiles.edge.preAllocatedVUs.value).toBe(351); // 4,800 x 36.5 ms x 2
    expect(t.profiles.edge.maxVUs.value).toBe(4800); // 4,800 x 0.5 s x 2
    expect(t.profiles.origin.maxVUs.value).toBe(3246); // 3,246 x 0.5 s x 2
    expect(t.profiles.edge.maxVUs.why).toMatch(/^Little's law: 4,800 RPS x 500 ms/);
  });

  test('thresholds from the SLO; chaos window in the middle of the soak', () => {
    expect(t.thresholds.p95Ms.value).toBe(500);
    expect(t.thresholds.errorRate.value).toBe(0.005);
    expect(t.thresholds.delayAbortEvalSec.value).toBe(300);
    // soak starts at 300 + 900 + 300 + 120 = 1,620 s; the middle is 1,620 + 900; five minutes (> 3 x 90 s)
    expect([t.chaos.startSec.value, t.chaos.endSec.value]).toEqual([2520, 2820]);
    expect(t.requestTimeoutSec.value).toBe(30);
  });

  test("read/write mix from the plan's traffic, paths from the model's CDN patterns, a stated write default", () => {
    expect(t.profiles.edge.readShare).toBe(p1.traffic.readShare);
    expect(t.profiles.edge.readShare.value).toBe(0.9);
    expect(t.profiles.origin.readShare.value).toBeCloseTo(p1.traffic.originDesignReadRps.value / p1.traffic.originDesignRps.value, 12);
    expect(t.profiles.origin.readShare.value).toBeLessThan(0.9); // cache hits never reach the origin; every write does
    expect(t.readPaths.value).toEqual(['/api/catalog/*', '/api/products/*', '/static/*', '/assets/*']);
    expect(t.writePaths.value).toEqual(['/api/orders']);
    expect(t.writePaths.why).toMatch(/model names no write endpoints/);
  });

  test('every phase: targets scale with the phase, the shape does not', () => {
    const all = planLoadTests(model, plans);
    expect(all.map((x) => x.profiles.edge.targetRps.value)).toEqual([1600, 8000, 80000]);
    expect(all.map((x) => x.profiles.edge.peakRps.value)).toEqual([4800, 24000, 240000]);
    expect(new Set(all.map((x) => x.totalSec.value))).toEqual(new Set([3480]));
  });
});

describe('planLoadTest on a fixture whose numbers differ from the defaults', () => {
  // GIVEN a smaller, stricter, more write-heavy service with slower task startup and other CDN paths.
  const model = parseCapacity({
    ...DEFAULT_MODEL,
    service: { name: 'menu-api', costCentre: 'food', taskStartupSec: 120, requestTimeoutSec: 10 },
    current: { ...DEFAULT_MODEL.current, peakRps: 250, readsPerWrite: 3, cdnCacheableGetShare: 0.5 },
    peakPattern: { dailyPeakToAverage: 2, flashSaleMultiplier: 3 },
    slo: { p95Ms: 200, errorRatePct: 1 },
    cdn: { cacheableApiPathPatterns: ['/api/menu/*'], staticPathPatterns: ['/img/*'] },
  });
  const plans = planModel(model);
  const p2: PhasePlan = plans[1];
  const t = planLoadTest(model, p2);

  test('targets: 250 x 10 at the edge; reads 75 % x cacheable 50 % x hit 90 % = 33.75 % offloaded at the origin', () => {
    expect(t.phase).toBe(2);
    expect(t.profiles.edge.targetRps.value).toBe(2500);
    expect(t.profiles.origin.targetRps.value).toBe(Math.ceil(2500 * (1 - 0.3375))); // 1,656.25 -> 1,657
    expect(t.profiles.edge.readShare.value).toBe(0.75);
  });

  test('a 150 s scale-out cooldown (120 s startup + 2 x 15 s) stretches the ramp to 1,500 s and the chaos window to 450 s', () => {
    expect(p2.api.scaleOutCooldownSec.value).toBe(150);
    expect(stageSummary(t, 'edge')).toEqual([
      ['warm-up', 300, 2500],
      ['ramp', 1500, 7500],
      ['hold', 300, 7500],
      ['settle', 120, 2500],
      ['soak', 1800, 2500],
      ['cool-down', 60, 0],
    ]);
    expect(t.totalSec.value).toBe(4080);
    // soak from 2,220 s; middle 3,120 s; 3 x 150 s = 450 s
    expect([t.chaos.startSec.value, t.chaos.endSec.value]).toEqual([3120, 3570]);
  });

  test('thresholds, timeout, VUs and paths follow the model', () => {
    expect(t.thresholds.p95Ms.value).toBe(200);
    expect(t.thresholds.errorRate.value).toBe(0.01);
    expect(t.requestTimeoutSec.value).toBe(10);
    const predicted = p2.api.predictedP95Ms.value;
    expect(t.profiles.edge.preAllocatedVUs.value).toBe(Math.ceil(7500 * (predicted / 1000) * 2));
    expect(t.profiles.edge.maxVUs.value).toBe(Math.ceil(7500 * (Math.max(predicted, 200) / 1000) * 2));
    expect(t.profiles.edge.maxVUs.value).toBeGreaterThanOrEqual(3000); // 7,500 x 0.2 s x 2
    expect(t.readPaths.value).toEqual(['/api/menu/*', '/img/*']);
  });
});

test('every number in every phase\'s load-test plan is a Sized with a reason (stage names and the phase aside)', () => {
  const model = loadModel();
  const problems: string[] = [];
  const visit = (node: unknown, path: string, inSized: boolean): void => {
    if (typeof node === 'number' && !inSized && !path.endsWith('.phase')) problems.push(`${path} is a bare number`);
    if (typeof node === 'number' && !Number.isFinite(node)) problems.push(`${path} is ${node}`);
    if (node === null || typeof node !== 'object') return;
    const sized = !Array.isArray(node) && 'value' in node && 'why' in node;
    if (sized) {
      const why = (node as { why: unknown }).why;
      if (typeof why !== 'string' || why.trim() === '' || /\b(NaN|undefined)\b/.test(why)) problems.push(`${path}.why is ${JSON.stringify(why)}`);
    }
    for (const [key, child] of Object.entries(node)) visit(child, path ? `${path}.${key}` : key, inSized || sized);
  };
  planLoadTests(model, planModel(model)).forEach((t, i) => visit(t, `phase${i + 1}`, false));
  expect(problems).toEqual([]);
});
