import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadModel, planLoadTests, planModel } from '../../lib/capacity';
import { k6Stages, renderK6Script, writeK6Scripts } from '../../lib/loadtest/k6-script';
import { typeCheckK6 } from '../support/k6-typecheck';

const model = loadModel();
const tests = planLoadTests(model, planModel(model));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'k6-scripts-'));
const files = writeK6Scripts(dir, tests, model.service.name);

describe('k6 scripts', () => {
  test('one script per phase in <outdir>/k6/', () => {
    expect(files).toEqual([1, 2, 3].map((n) => path.join(dir, 'k6', `phase${n}.js`)));
    expect(fs.readFileSync(files[1], 'utf8')).toBe(renderK6Script(tests[1], model.service.name));
  });

  test("the script carries the plan's stages, VUs and SLO thresholds", () => {
    const script = fs.readFileSync(files[0], 'utf8');
    expect(k6Stages(tests[0].profiles.edge)).toEqual([
      { duration: '300s', target: 1600 },
      { duration: '900s', target: 4800 },
      { duration: '300s', target: 4800 },
      { duration: '120s', target: 1600 },
      { duration: '1800s', target: 1600 },
      { duration: '60s', target: 0 },
    ]);
    expect(script).toContain('{ duration: "900s", target: 4800 }, // ramp');
    expect(script).toContain('{ duration: "900s", target: 3246 }, // ramp');
    expect(script).toMatch(/preAllocatedVUs: 351, \/\/ Little's law/);
    expect(script).toContain('maxVUs: 4800,');
    expect(script).toContain("executor: 'ramping-arrival-rate'");
    expect(script).toContain("timeUnit: '1s'");
    expect(script).toContain("http_req_duration: [{ threshold: 'p(95)<500', abortOnFail: true, delayAbortEval: '300s' }]");
    expect(script).toContain("http_req_failed: ['rate<0.005']");
    expect(script).toContain('const CHAOS = { startSec: 2520, endSec: 2820 };');
    expect(script).toContain('const PROFILE = __ENV.PROFILE || "edge";');
    expect(script).toContain("const BASE_URL = (__ENV.BASE_URL || '')");
    expect(script).toContain('readShare: 0.9,');
    expect(fs.readFileSync(files[2], 'utf8')).toContain('{ duration: "900s", target: 240000 }, // ramp');
  });

  test('the generated scripts type-check against @types/k6', () => {
    expect(typeCheckK6(files)).toEqual([]);
  });

  test('a broken script fails the check (the check is live)', () => {
    const broken = path.join(dir, 'broken.js');
    const script = fs.readFileSync(files[0], 'utf8');
    expect(script).toContain("executor: 'ramping-arrival-rate'");
    fs.writeFileSync(broken, script.replace("executor: 'ramping-arrival-rate'", "executor: 'ramping-arival-rate'").replace('http.get(', 'http.gett('));
    const errors = typeCheckK6([broken]);
    expect(errors.some((e) => /^broken\.js:\d+: .*ramping-arival-rate/.test(e))).toBe(true);
    expect(errors.some((e) => /^broken\.js:\d+: .*gett/.test(e))).toBe(true);
  });
});
