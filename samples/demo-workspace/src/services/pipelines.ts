import { prisma } from '../db/prisma';

export async function pipelinesOfProject(projectId: string) {
  return prisma.pipeline.findMany({
    where: { projectId },
    select: { id: true, name: true, status: true },
    orderBy: { updatedAt: 'desc' },
    take: 50,
  });
}

export async function pipelinesOfProjects(projectIds: string[]) {
  return prisma.pipeline.findMany({
    where: { projectId: { in: projectIds } },
    select: { id: true, name: true, status: true, projectId: true },
    take: 50 * projectIds.length,
  });
}

export async function pipelineOwnerEmail(pipelineId: string) {
  const pipeline = await prisma.pipeline.findUnique({ where: { id: pipelineId }, include: { owner: true } });
  return pipeline?.owner.email;
}
