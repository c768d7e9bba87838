import { Router } from 'express';
import { prisma } from '../db/prisma';
import { durationsFor, lastRunDuration } from '../services/metrics';
import { pipelinesOfProject, pipelinesOfProjects } from '../services/pipelines';

export const projects = Router();

// GET /projects — the whole table, every time.
projects.get('/', async (_req, res) => {
  const all = await prisma.project.findMany({ select: { id: true, name: true }, orderBy: { name: 'asc' } });
  res.json(all);
});

// GET /projects/overview — the guide's N+1: one pipelines query per project.
projects.get('/overview', async (req, res) => {
  const page = Number(req.query.page ?? 0);
  const list = await prisma.project.findMany({ select: { id: true, name: true }, take: 20, skip: page * 20 });
  const overview = [];
  for (const project of list) {
    overview.push({ ...project, pipelines: await pipelinesOfProject(project.id) });
  }
  res.json(overview);
});

// GET /projects/overview-batched — the same page with two queries in total.
projects.get('/overview-batched', async (req, res) => {
  const page = Number(req.query.page ?? 0);
  const list = await prisma.project.findMany({ select: { id: true, name: true }, take: 20, skip: page * 20 });
  const pipelines = await pipelinesOfProjects(list.map((p) => p.id));
  res.json(list.map((p) => ({ ...p, pipelines: pipelines.filter((x) => x.projectId === p.id) })));
});

// GET /projects/:id/durations
projects.get('/:id/durations', async (req, res) => {
  const pipelines = await pipelinesOfProject(req.params.id);
  const latest = await Promise.all(pipelines.map((p) => lastRunDuration(p.id)));
  const averages = await durationsFor(pipelines.map((p) => p.id));
  res.json({ latest, averages });
});
