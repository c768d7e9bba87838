import { prisma } from './db';

export async function activeUsers() {
  return prisma.user.findMany({ where: { active: true }, select: { id: true, name: true } });
}

export async function postTitles(userIds: number[]) {
  const titles: string[] = [];
  for (const id of userIds) {
    const posts = await prisma.post.findMany({ where: { authorId: id }, select: { title: true }, take: 20 });
    titles.push(...posts.map((p) => p.title));
  }
  return titles;
}
