import { prisma } from './db';

export async function page(cursor: number) {
  return prisma.user.findMany({ where: { id: { gt: cursor } }, select: { id: true }, take: 100 });
}
