#!/usr/bin/env node
/**
 * The `app` command in cdk.json: runs the compiled app (fast: no TypeScript runner at synth time),
 * compiling first when any TypeScript source is newer than the last build, so a fresh clone and an
 * edited source both just work.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const entry = path.join(root, 'dist', 'bin', 'app.js');
const buildInfo = path.join(root, 'dist', '.tsbuildinfo');

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

const sources = ['bin', 'lib', 'phases'].map((d) => path.join(root, d)).filter(fs.existsSync);
const sourcesChanged = !fs.existsSync(buildInfo) || sources.some((d) => newestSource(d) > fs.statSync(buildInfo).mtimeMs);
if (!fs.existsSync(entry) || sourcesChanged) {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  // tsc leaves its build info untouched when no output changed; mark the build as current anyway.
  const now = new Date();
  fs.utimesSync(buildInfo, now, now);
}
require(entry);
