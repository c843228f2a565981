/**
 * Strict validation of the manifests against Kubernetes 1.28's schemas: every phase's manifests pass, and the
 * checker is live: typo'd fields, wrong types, missing required fields and unknown kinds each fail it.
 */
import { Testing } from 'cdk8s';
import { DEFAULT_MODEL, parseCapacity, planModel } from '../../lib/capacity';
import { PhaseChart } from '../../lib/k8s/phase-chart';
import { strictSchemas, validateManifest, validateManifests } from '../../lib/review/k8s-validate';

const model = parseCapacity(DEFAULT_MODEL);
const manifestsByPhase = planModel(model).map((plan) => [plan.label, Testing.synth(new PhaseChart(Testing.app(), 'order-management', { model, plan }))] as const);
const [, phase2] = manifestsByPhase[1];

/** A deep copy of the phase 2 manifest of `kind`, to break. */
function copyOf(kind: string, name = 'api'): any {
  return structuredClone(phase2.find((m) => m.kind === kind && m.metadata.name === name));
}

test('the schemas are Kubernetes 1.28 and cover every kind the charts write', () => {
  const schemas = strictSchemas();
  expect(schemas.kubernetesVersion).toBe('1.28.0');
  for (const key of ['apps/v1/Deployment', 'v1/Service', 'v1/ConfigMap', 'policy/v1/PodDisruptionBudget', 'autoscaling/v2/HorizontalPodAutoscaler']) {
    expect(schemas.kinds.has(key)).toBe(true);
  }
});

test.each(manifestsByPhase)('%s: every manifest validates strictly', (_label, manifests) => {
  expect(manifests.length).toBe(8);
  expect(validateManifests(manifests)).toEqual([]);
});

describe('the checker rejects what kubernetes-models lets through', () => {
  test('a typo in a Deployment spec (spec.replics)', () => {
    const deployment = copyOf('Deployment');
    deployment.spec.replics = 3;
    expect(validateManifest(deployment)).toEqual([expect.stringMatching(/^Deployment api: \/spec\/replics: unknown field \(io\.k8s\.api\.apps\.v1\.DeploymentSpec has .*replicas/)]);
  });

  test('a typo in the HPA behaviour (stabilizationWindowSecond)', () => {
    const hpa = copyOf('HorizontalPodAutoscaler');
    hpa.spec.behavior.scaleDown.stabilizationWindowSecond = hpa.spec.behavior.scaleDown.stabilizationWindowSeconds;
    expect(validateManifest(hpa)).toEqual([expect.stringContaining('/spec/behavior/scaleDown/stabilizationWindowSecond: unknown field')]);
  });

  test('a typo deep in a pod template (containers[0].resources.limit)', () => {
    const deployment = copyOf('Deployment');
    deployment.spec.template.spec.containers[0].resources.limit = { cpu: '1' };
    expect(validateManifest(deployment)).toEqual([expect.stringContaining('/spec/template/spec/containers/0/resources/limit: unknown field')]);
  });

  test('a wrong type (minReplicas: "two", a PDB maxUnavailable object)', () => {
    const hpa = copyOf('HorizontalPodAutoscaler');
    hpa.spec.minReplicas = 'two';
    expect(validateManifest(hpa)).toEqual(['HorizontalPodAutoscaler api: /spec/minReplicas: expected number, got string "two"']);
    const pdb = copyOf('PodDisruptionBudget');
    pdb.spec.maxUnavailable = { percent: 21 };
    expect(validateManifest(pdb)).toEqual([expect.stringContaining('/spec/maxUnavailable: expected integer or string, got object')]);
  });

  test('a missing required field (HPA maxReplicas) and an apiVersion Kubernetes 1.28 does not serve', () => {
    const hpa = copyOf('HorizontalPodAutoscaler');
    delete hpa.spec.maxReplicas;
    expect(validateManifest(hpa)).toEqual(['HorizontalPodAutoscaler api: /spec/maxReplicas: required field is missing']);
    const v1 = copyOf('HorizontalPodAutoscaler');
    v1.apiVersion = 'autoscaling/v2beta2';
    expect(validateManifest(v1)).toEqual([expect.stringContaining('unknown kind autoscaling/v2beta2/HorizontalPodAutoscaler in Kubernetes 1.28.0')]);
  });

  test('field names are the wire names (hostIPC), not the bindings\' TypeScript names (hostIpc)', () => {
    const wire = copyOf('Deployment');
    wire.spec.template.spec.hostIPC = false;
    expect(validateManifest(wire)).toEqual([]);
    const typescriptName = copyOf('Deployment');
    typescriptName.spec.template.spec.hostIpc = false;
    expect(validateManifest(typescriptName)).toEqual([expect.stringContaining('/spec/template/spec/hostIpc: unknown field')]);
  });

  test('maps keep their value types (a label value must be a string)', () => {
    const service = copyOf('Service');
    service.metadata.labels['scaling-roadmap/phase'] = 2;
    expect(validateManifest(service)).toEqual(['Service api: /metadata/labels/scaling-roadmap/phase: expected string, got integer 2']);
  });
});
