/**
 * CONSUMER TEST (slow: ~1 minute, spawns npm, tsc and node).
 *
 * Proves the published package works for someone who only wants a construct: builds the library (`npm run build`),
 * packs it (`npm pack`, the exact tarball a registry would get), installs the tarball into a temporary copy of
 * examples/consumer-app (a separate CDK app with its own package.json), type-checks that app against the shipped
 * .d.ts files with the repository's tsc, and synthesizes it with plain node.
 *
 * Needs no network when the npm cache holds aws-cdk-lib, constructs, zod and cdk8s (it does after `npm ci` here):
 * the install runs `--offline` first, then, after any failure, `--prefer-offline`. Only when npm itself is missing, or the install fails
 * for lack of network, is the test skipped, with the reason in its name; any other failure fails it.
 * Set KEEP_CONSUMER_TMP=1 to keep the temporary directory for inspection.
 */
import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const EXAMPLE = path.join(ROOT, 'examples', 'consumer-app');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const TSC = require.resolve('typescript/bin/tsc');
const TIMEOUT_MS = 180_000;

/**
 * Child processes must not inherit the outer `npm test`'s lifecycle variables (its package, its local prefix: an
 * install could land in this repository); npm configuration from the environment (cache, registry) is kept.
 */
const env = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(npm_lifecycle_|npm_package_|npm_config_local_prefix$|npm_command$|INIT_CWD$)/i.test(key)),
);

function run(command: string, args: readonly string[], cwd: string, extraEnv: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
}

const output = (r: SpawnSyncReturns<string>) => `${r.error ?? ''}${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n');

/** Each peer dependency's floor: '^2.257.0' -> '2.257.0'. */
const PEER_FLOORS: Record<string, string> = Object.fromEntries(
  Object.entries<string>(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).peerDependencies).map(([name, range]) => {
    const floor = /^\^(\d+\.\d+\.\d+)$/.exec(range)?.[1];
    if (!floor) throw new Error(`peerDependencies.${name} '${range}' is not a caret range: the consumer test cannot tell its floor`);
    return [name, floor];
  }),
);

/** What `npm pack --json` reports for one tarball. */
interface PackReport {
  readonly filename: string;
  readonly unpackedSize: number;
  readonly files: ReadonlyArray<{ readonly path: string; readonly size: number }>;
}

/** The prepared consumer (or why it could not be prepared). */
type Prepared =
  | { readonly kind: 'ready'; readonly tmp: string; readonly app: string; readonly pack: PackReport; readonly installMode: string }
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'error'; readonly message: string };

/** npm errors that mean "no network / not in the cache", the only ones that justify a skip. */
const NETWORK_ERROR = /ENOTCACHED|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|network/i;

/**
 * Build, pack and install, synchronously while jest collects the tests, so the outcome decides between a real
 * test and an explicitly named skip (jest cannot skip a test once it is running).
 */
function prepare(): Prepared {
  const npmVersion = run(NPM, ['--version'], ROOT);
  if (npmVersion.status !== 0) return { kind: 'skip', reason: `npm is not runnable here (${output(npmVersion) || npmVersion.error})` };

  const build = run(NPM, ['run', 'build', '--silent'], ROOT);
  if (build.status !== 0) return { kind: 'error', message: `npm run build failed:\n${output(build)}` };

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-app-'));
  const packed = run(NPM, ['pack', '--json', '--silent', '--pack-destination', tmp], ROOT);
  if (packed.status !== 0) return { kind: 'error', message: `npm pack failed:\n${output(packed)}` };
  const [pack] = JSON.parse(packed.stdout) as PackReport[];

  const app = path.join(tmp, 'consumer-app');
  fs.cpSync(EXAMPLE, app, {
    recursive: true,
    filter: (src) => !/[\\/](node_modules|cdk\.out|out)([\\/]|$)/.test(path.relative(EXAMPLE, src)) && !/\.js$|package-lock\.json$/.test(src),
  });
  // The example points at ../../scaling-roadmap.tgz (for people packing by hand); point it at this tarball.
  const manifestPath = path.join(app, 'package.json');
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  manifest.dependencies['scaling-roadmap'] = `file:${path.join(tmp, pack.filename)}`;
  // The oldest versions the package admits, exactly: if the library used an API newer than its peer floor, this
  // install would still succeed but the type-check and synthesis below would fail.
  for (const [name, floor] of Object.entries(PEER_FLOORS)) manifest.dependencies[name] = floor;
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));

  // Bounded retries: an unreachable registry is reported (as a skip) in seconds, not after npm's minutes of back-off.
  const common = ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', '--loglevel=error', '--fetch-retries=1', '--fetch-retry-mintimeout=1000', '--fetch-retry-maxtimeout=2000'];
  let install = run(NPM, [...common, '--offline'], app);
  let installMode = 'offline (npm cache only)';
  // Any offline failure gets one retry that may use the registry: a cache holding tarballs but not every packument
  // fails offline with ERESOLVE or ETARGET rather than ENOTCACHED.
  if (install.status !== 0) {
    install = run(NPM, [...common, '--prefer-offline'], app);
    installMode = 'prefer-offline (registry for what the cache lacks)';
  }
  if (install.status !== 0) {
    const text = output(install);
    if (NETWORK_ERROR.test(text)) fs.rmSync(tmp, { recursive: true, force: true });
    if (NETWORK_ERROR.test(text)) return { kind: 'skip', reason: `npm install needs packages that are neither cached nor downloadable: ${text.split('\n').find((l) => NETWORK_ERROR.test(l))}` };
    return { kind: 'error', message: `npm install of the tarball failed:\n${text}` };
  }
  return { kind: 'ready', tmp, app, pack, installMode };
}

const prepared = prepare();

afterAll(() => {
  if (prepared.kind === 'ready' && !process.env.KEEP_CONSUMER_TMP) fs.rmSync(prepared.tmp, { recursive: true, force: true });
});

describe('CONSUMER: the packed library installs into a separate CDK app and synthesizes there', () => {
  if (prepared.kind === 'skip') {
    // Jest does not print the names of skipped tests when a whole file is skipped: say why on stderr as well.
    console.warn(`CONSUMER TEST SKIPPED: ${prepared.reason}`);
    test.skip(`SKIPPED: ${prepared.reason}`, () => undefined);
    return;
  }
  if (prepared.kind === 'error') {
    test('build, pack and install', () => {
      throw new Error(prepared.message);
    });
    return;
  }
  const { app, pack } = prepared;

  test('the tarball holds the compiled library (dist/lib JavaScript and declarations) and nothing else of size', () => {
    const paths = pack.files.map((f) => f.path);
    const rootPackage = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(paths).toEqual(expect.arrayContaining(['package.json', 'LICENSE', rootPackage.main, rootPackage.types, 'dist/lib/constructs/aurora-postgres.js']));
    // `npm pack` on an unbuilt checkout builds first (prepack), so the tarball is never just package.json and a README.
    expect(rootPackage.scripts.prepack).toMatch(/npm run build/);
    for (const p of paths) {
      expect(p).toMatch(/^(package\.json|README\.md|LICENSE(\.\w+)?|dist\/lib\/.+\.(js|d\.ts)|dist\/scripts\/[\w-]+\.js)$/);
    }
    expect(paths.filter((p) => /(^|\/)(test|node_modules|cdk\.out)\//.test(p))).toEqual([]);
    expect(pack.unpackedSize).toBeLessThan(2_000_000);
    // A bin in package.json must be in the tarball, or `npm install` links nothing.
    for (const bin of Object.values<string>(rootPackage.bin ?? {})) expect(paths).toContain(bin.replace(/^\.\//, ''));
  });

  test('the app runs on the floor of every peer dependency (aws-cdk-lib, constructs, cdk-nag)', () => {
    expect(Object.keys(PEER_FLOORS).sort()).toEqual(['aws-cdk-lib', 'cdk-nag', 'constructs']);
    for (const [name, floor] of Object.entries(PEER_FLOORS)) {
      expect(JSON.parse(fs.readFileSync(path.join(app, 'node_modules', name, 'package.json'), 'utf8')).version).toBe(floor);
    }
  });

  test('npm installed a copy of the tarball (not a link to this repository), sharing one aws-cdk-lib and constructs with the app', () => {
    const installed = path.join(app, 'node_modules', 'scaling-roadmap');
    expect(fs.lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(fs.existsSync(path.join(installed, 'dist', 'lib', 'index.js'))).toBe(true);
    expect(fs.existsSync(path.join(installed, 'lib'))).toBe(false); // no TypeScript sources shipped
    // Two copies of aws-cdk-lib or constructs would break every construct (scope checks are per copy).
    expect(fs.existsSync(path.join(installed, 'node_modules', 'aws-cdk-lib'))).toBe(false);
    expect(fs.existsSync(path.join(installed, 'node_modules', 'constructs'))).toBe(false);
    const resolved = run(process.execPath, ['-p', "require.resolve('scaling-roadmap')"], app);
    expect(resolved.status).toBe(0);
    expect(fs.realpathSync(resolved.stdout.trim())).toBe(fs.realpathSync(path.join(installed, 'dist', 'lib', 'index.js')));
  });

  test(
    'app.ts type-checks against the shipped declarations (the repository tsc) and synthesizes with node under ScalabilityChecks: Aurora, Redis with allkeys-lru, an ECS service',
    () => {
      const compiled = run(process.execPath, [TSC, '-p', 'tsconfig.json'], app);
      if (compiled.status !== 0) throw new Error(`tsc failed on the consumer app:\n${output(compiled)}`);

      const outdir = path.join(prepared.tmp, 'cdk.out');
      const synth = run(process.execPath, ['app.js'], app, { CDK_OUTDIR: outdir });
      if (synth.status !== 0) throw new Error(`the consumer app failed to synthesize:\n${output(synth)}`);

      const template = JSON.parse(fs.readFileSync(path.join(outdir, 'ConsumerStack.template.json'), 'utf8'));
      const resources = Object.entries<any>(template.Resources);
      const ofType = (type: string) => resources.filter(([, r]) => r.Type === type);

      const clusters = ofType('AWS::RDS::DBCluster');
      expect(clusters).toHaveLength(1);
      expect(clusters[0][1].Properties.Engine).toBe('aurora-postgresql');
      expect(ofType('AWS::RDS::DBInstance').length).toBeGreaterThanOrEqual(2); // writer + reader(s)

      const groups = ofType('AWS::ElastiCache::ReplicationGroup');
      expect(groups).toHaveLength(1);
      const parameterGroupRef = groups[0][1].Properties.CacheParameterGroupName;
      expect(parameterGroupRef).toEqual({ Ref: expect.any(String) });
      const parameterGroup = template.Resources[parameterGroupRef.Ref];
      expect(parameterGroup.Type).toBe('AWS::ElastiCache::ParameterGroup');
      expect(parameterGroup.Properties.Properties['maxmemory-policy']).toBe('allkeys-lru');

      const services = ofType('AWS::ECS::Service');
      expect(services).toHaveLength(1);
      expect(services[0][1].Properties.LaunchType).toBe('FARGATE');

      // ScalabilityChecks ran in the consumer's synthesis (the plugin leaves no report when it passes, so its
      // registration is read from the compiled app) and passed.
      expect(fs.readFileSync(path.join(app, 'app.js'), 'utf8')).toMatch(/addPlugins\(new scaling_roadmap_1\.ScalabilityChecks\(\)\)/);
    },
    TIMEOUT_MS,
  );

  test('ScalabilityChecks from the packed library fails the consumer\'s synthesis on a finding (a queue without a DLQ)', () => {
    // app.js was compiled by the previous test; compile again if this one runs alone.
    if (!fs.existsSync(path.join(app, 'app.js'))) run(process.execPath, [TSC, '-p', 'tsconfig.json'], app);
    const outdir = path.join(prepared.tmp, 'cdk.out.broken');
    // An App reads its context from CDK_CONTEXT_JSON, as under `cdk synth -c addQueueWithoutDlq=true`.
    const synth = run(process.execPath, ['app.js'], app, { CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ addQueueWithoutDlq: true }) });
    expect(synth.status).not.toBe(0);
    const text = `${synth.stdout}${synth.stderr}`;
    expect(text).toMatch(/ConsumerStack\/Jobs\/Resource/);
    expect(text).toMatch(/Acknowledge with 'Scalability::Scalability-SQS1'/);
    // Only the queue: the constructs on their defaults pass the pack.
    expect(text.match(/Acknowledge with 'Scalability::/g)).toHaveLength(1);
  }, TIMEOUT_MS);
});

/**
 * The README's construct example, exactly as written (extracted between its markers), in a CDK app of its own with a
 * cdk.json, synthesized by the CDK CLI (`cdk synth`, the aws-cdk package's bin) against the packed library installed
 * above, with no AWS credentials or config and the instance metadata service off: what a user copying the example gets.
 * Two variants prove the check is live: without `pinAvailabilityZones` the CLI needs credentials for the AZ lookup
 * (the failure issue 14 reported), and in an environment-agnostic stack ApiTier's error is printed without a stack trace.
 */
describe('README: the construct example synthesizes through the CDK CLI, offline and without credentials', () => {
  if (prepared.kind !== 'ready') {
    test.skip(`SKIPPED: the packed library is not installed (${prepared.kind === 'skip' ? prepared.reason : 'see the failure above'})`, () => undefined);
    return;
  }
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = readme.split('<!-- construct-example:start -->')[1]?.split('<!-- construct-example:end -->')[0] ?? '';
  const example = /```ts\n([\s\S]*?)```/.exec(block)?.[1] ?? '';
  const CDK = require.resolve('aws-cdk/bin/cdk');
  // No credentials anywhere: no AWS_* variables, no ~/.aws, no instance metadata; no CDK_* from an outer run.
  const offline = Object.fromEntries(Object.entries(env).filter(([key]) => !/^(AWS_|CDK_)/.test(key)));

  /** Writes `code` as a CDK app (cdk.json, tsconfig) next to the installed consumer, compiles it and runs `cdk synth`. */
  function cdkSynth(name: string, code: string): { status: number | null; text: string; outdir: string } {
    const dir = path.join(prepared.kind === 'ready' ? prepared.tmp : os.tmpdir(), name);
    fs.mkdirSync(dir, { recursive: true });
    fs.symlinkSync(path.join((prepared as { app: string }).app, 'node_modules'), path.join(dir, 'node_modules'));
    fs.writeFileSync(path.join(dir, 'app.ts'), code);
    const tsconfig = JSON.parse(fs.readFileSync(path.join(EXAMPLE, 'tsconfig.json'), 'utf8'));
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ ...tsconfig, files: ['app.ts'] }));
    fs.writeFileSync(path.join(dir, 'cdk.json'), JSON.stringify({ app: 'node app.js', notices: false, context: { 'cli-telemetry': false } }));
    const compiled = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: dir, env: offline, encoding: 'utf8', timeout: TIMEOUT_MS });
    if (compiled.status !== 0) throw new Error(`tsc failed on the README example (${name}):\n${output(compiled)}`);
    const synth = spawnSync(process.execPath, [CDK, 'synth', '--quiet'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: TIMEOUT_MS,
      env: {
        ...offline,
        HOME: dir,
        AWS_CONFIG_FILE: path.join(dir, 'no-aws-config'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-aws-credentials'),
        AWS_EC2_METADATA_DISABLED: 'true',
        CDK_DISABLE_VERSION_CHECK: 'true',
      },
    });
    return { status: synth.status, text: `${synth.error ?? ''}${synth.stdout}${synth.stderr}`, outdir: path.join(dir, 'cdk.out') };
  }

  test('the README holds the example between its markers, with its env-specific stack and the AZ pin', () => {
    expect(example).toMatch(/new Stack\(app, 'Shop', \{ env: \{ account: '123456789012', region: 'eu-central-1' \} \}\);/);
    expect(example).toMatch(/^pinAvailabilityZones\(stack, \['eu-central-1a', 'eu-central-1b', 'eu-central-1c'\]\);/m);
  });

  test('as written: `cdk synth` succeeds; one shared VPC over the pinned AZs, writer + 2 readers, the cache and the API tier in it', () => {
    const { status, text, outdir } = cdkSynth('readme-example', example);
    if (status !== 0) throw new Error(`cdk synth of the README example failed:\n${text.split('\n').slice(-30).join('\n')}`);
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
    expect(manifest.missing ?? []).toEqual([]); // nothing left to look up
    const template = JSON.parse(fs.readFileSync(path.join(outdir, 'Shop.template.json'), 'utf8'));
    const ofType = (type: string) => Object.values<any>(template.Resources).filter((r) => r.Type === type);
    expect(ofType('AWS::EC2::VPC')).toHaveLength(1);
    expect(new Set(ofType('AWS::EC2::Subnet').map((s) => s.Properties.AvailabilityZone))).toEqual(new Set(['eu-central-1a', 'eu-central-1b', 'eu-central-1c']));
    expect(ofType('AWS::RDS::DBInstance')).toHaveLength(3);
    expect(ofType('AWS::ElastiCache::ReplicationGroup')).toHaveLength(1);
    expect(ofType('AWS::ECS::Service')).toHaveLength(1);
    expect(ofType('AWS::ElasticLoadBalancingV2::TargetGroup')[0].Properties.TargetGroupAttributes)
      .toContainEqual({ Key: 'deregistration_delay.timeout_seconds', Value: '65' });
    expect(JSON.stringify(template)).not.toMatch(/dummy1[abc]/);
  }, 2 * TIMEOUT_MS);

  test('without the AZ pin the CLI needs AWS credentials for the AZ lookup, and fails (the check is live)', () => {
    const unpinned = example.replace(/^pinAvailabilityZones\(.*\n/m, '').replace('pinAvailabilityZones, ', '');
    expect(unpinned).not.toContain('pinAvailabilityZones');
    const { status, text } = cdkSynth('readme-example-unpinned', unpinned);
    expect(status).not.toBe(0);
    expect(text).toMatch(/Need to perform AWS calls for account 123456789012, but no credentials have been configured/);
  }, 2 * TIMEOUT_MS);

  test('in an environment-agnostic stack ApiTier\'s error is printed by the CLI, naming the construct and the fix, with no stack trace', () => {
    const agnostic = example
      .replace(", { env: { account: '123456789012', region: 'eu-central-1' } }", '')
      .replace(/^pinAvailabilityZones\(.*\n/m, '')
      .replace('pinAvailabilityZones, ', '');
    expect(agnostic).toMatch(/new Stack\(app, 'Shop'\);/);
    const { status, text } = cdkSynth('readme-example-agnostic', agnostic);
    expect(status).not.toBe(0);
    // The CLI prints the message, then the construct path: "ERROR ApiTier needs ... (Construct Annotations)\n   Shop/Api".
    expect(text).toMatch(/ERROR ApiTier needs a stack with an explicit region \(env: \{ account, region \}\)[^\n]*\n\s+Shop\/Api\n/);
    expect(text).toMatch(/WARNING 'maxAzs' \(3\): an environment-agnostic stack spans only 2 AZs[^\n]*\n\s+Shop\/Network\n/);
    expect(text).not.toMatch(/^\s+at .+\.js:\d+:\d+/m);
  }, 2 * TIMEOUT_MS);
});
