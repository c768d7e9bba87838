import { prisma } from '../db/prisma';
import { AuditEvent } from '../models/AuditEvent';

interface PipelineSpec {
  name: string;
  projectId: string;
  schedule: string;
}

/** Imports pipeline definitions exported from another workspace. */
export async function importPipelines(actor: string, specs: PipelineSpec[]) {
  for (const spec of specs) {
    await prisma.pipeline.create({ data: { name: spec.name, projectId: spec.projectId, schedule: spec.schedule } });
    await AuditEvent.create({ actor, action: 'import', payload: spec });
  }
}

export async function importPipelinesInBulk(actor: string, specs: PipelineSpec[]) {
  await prisma.pipeline.createMany({ data: specs });
  await AuditEvent.insertMany(specs.map((payload) => ({ actor, action: 'import', payload })));
}
