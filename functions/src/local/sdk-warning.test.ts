// The AWS SDK warns once per process that its 2027 releases need Node 22; the project is pinned
// to Node 20. Local mode silences it (start.ts, worker-pool.ts) and so does the test run
// (vitest.config.ts test.env), so every test process stays quiet. This file is its own process
// (vitest forks per file) and creates its first SDK clients here.
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { expect, it } from 'vitest';

it("creating AWS SDK clients in a test prints no Node-version warning", async () => {
  const warnings: string[] = [];
  const listen = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
  process.on('warning', listen);
  try {
    new S3Client({ region: 'us-east-1' });
    new LambdaClient({ region: 'us-east-1' });
    await new Promise((r) => setTimeout(r, 50)); // warnings are emitted on a later tick
  } finally {
    process.off('warning', listen);
  }
  expect(warnings.filter((w) => /NodeVersionSupportWarning|require node >=/.test(w))).toEqual([]);
});
