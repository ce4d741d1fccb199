import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../db/schema.js';
import type { RoutePlugin } from '../server/app.js';
import { summariseJobs } from './job-engine.js';

const JobSummarySchema = z.object({
  counts: z.array(z.object({ status: z.string(), kind: z.string(), n: z.number() })),
  dead: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      attempts: z.number(),
      lastError: z.string().nullable(),
      updatedAt: z.number(),
    }),
  ),
});

export function jobsRoutes(db: Kysely<DB>): RoutePlugin {
  return (app) => {
    app.get(
      '/api/jobs',
      {
        config: { access: 'jobs.read' },
        schema: { tags: ['system'], response: { 200: JobSummarySchema } },
      },
      async () => summariseJobs(db),
    );
  };
}
