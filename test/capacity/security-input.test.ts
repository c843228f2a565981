import { DEFAULT_MODEL, parseCapacity } from '../../lib/capacity';
import { problemsOf } from '../support/capacity-problems';


describe('security fields of the model: defaults and the boundary', () => {
  test('defaults: a year of logs, nginx-unprivileged as uid 101 with its writable paths', () => {
    const model = parseCapacity(DEFAULT_MODEL);
    expect(model.policy.logRetentionDays).toBe(365);
    expect(model.service).toMatchObject({ containerUser: '101', containerPort: 8080, writablePaths: ['/tmp', '/var/cache/nginx', '/var/run'] });
  });

  test.each([['0'], ['root'], ['0:0'], ['root:root']])('containerUser %s (root) is refused', (containerUser) => {
    expect(problemsOf({ ...DEFAULT_MODEL, service: { ...DEFAULT_MODEL.service, containerUser } })).toEqual([expect.stringContaining('service.containerUser: must be a non-root user')]);
  });

  test.each([['1000'], ['1000:1000'], ['node'], ['app:app']])('containerUser %s is accepted', (containerUser) => {
    expect(parseCapacity({ ...DEFAULT_MODEL, service: { ...DEFAULT_MODEL.service, containerUser } }).service.containerUser).toBe(containerUser);
  });

  test('a log retention CloudWatch does not offer is refused, naming the allowed values', () => {
    expect(problemsOf({ ...DEFAULT_MODEL, policy: { logRetentionDays: 100 } })).toEqual([expect.stringMatching(/policy\.logRetentionDays: must be one of the CloudWatch Logs retentions: 1, 3, 5, .* 3653 days/)]);
  });

  test('writable paths must be absolute and distinct', () => {
    expect(problemsOf({ ...DEFAULT_MODEL, service: { ...DEFAULT_MODEL.service, writablePaths: ['tmp'] } })).toEqual([expect.stringContaining("service.writablePaths.0: must be an absolute path like '/tmp'")]);
    expect(problemsOf({ ...DEFAULT_MODEL, service: { ...DEFAULT_MODEL.service, writablePaths: ['/tmp', '/tmp'] } })).toEqual([expect.stringContaining('service.writablePaths: must not list a path twice')]);
  });
});
