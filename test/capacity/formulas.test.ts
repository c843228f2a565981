import { cacheMemory, littlesLaw, poolSize, replicasFor, requiredCapacity } from '../../lib/capacity/formulas';

describe("the seeds' formulas, on the seeds' worked examples", () => {
  test('required capacity = peak x growth x safety margin: 1,000 x 3 x 1.5 = 4,500 req/s', () => {
    expect(requiredCapacity(1000, 3, 1.5)).toBe(4500);
  });

  test('replicas = ceiling(read traffic / replica capacity): 10,000 / 3,000 -> 4', () => {
    expect(replicasFor(10_000, 3_000)).toBe(4);
    expect(replicasFor(9_000, 3_000)).toBe(3);
    expect(replicasFor(9_001, 3_000)).toBe(4);
  });

  test('pool = cores x 2 + effective spindles: 8 cores on SSD -> 17', () => {
    expect(poolSize(8, 1)).toBe(17);
  });

  test('cache memory = working set x overhead: 10 GB x 1.5 = 15 GB', () => {
    expect(cacheMemory(10, 1.5)).toBe(15);
  });

  test("Little's law: 1,000 QPS x 5 ms = 5 concurrent queries", () => {
    expect(littlesLaw(1000, 0.005)).toBeCloseTo(5, 10);
  });
});
