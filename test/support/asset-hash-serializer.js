/**
 * Jest snapshot serializer: replaces 64-hex asset hashes (they change with every aws-cdk-lib release)
 * so a snapshot changes only when the infrastructure does.
 */
const HAS_HASH = /[0-9a-f]{64}/;
const ALL_HASHES = /[0-9a-f]{64}/g;

module.exports = {
  test: (value) => typeof value === 'string' && HAS_HASH.test(value),
  serialize: (value, config, indentation, depth, refs, printer) =>
    printer(value.replace(ALL_HASHES, '[ASSET-HASH]'), config, indentation, depth, refs),
};
