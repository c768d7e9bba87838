// The explicit list of ORM adapters. Adding an ORM = one file in this folder + one line here.
import type { OrmId } from '../types';
import type { OrmAdapter } from './types';
import { prisma } from './prisma';
import { knex } from './knex';
import { mikroOrm } from './mikro-orm';
import { mongoose } from './mongoose';
import { typeorm } from './typeorm';
import { sequelize } from './sequelize';
import { drizzle } from './drizzle';
import { pg } from './pg';
import { mysql2 } from './mysql2';

export const ADAPTERS: readonly OrmAdapter[] = [prisma, typeorm, sequelize, drizzle, knex, mikroOrm, mongoose, pg, mysql2];

const byId = new Map<OrmId, OrmAdapter>(ADAPTERS.map((a) => [a.id, a]));

export function adapterFor(id: OrmId): OrmAdapter | undefined {
  return byId.get(id);
}

/** The adapter owning an import / require specifier, if any. */
export function adapterForModule(specifier: string): OrmAdapter | undefined {
  for (const a of ADAPTERS) if (a.ownsModule(specifier)) return a;
  return undefined;
}

export type { OrmAdapter, QueryFacts, Value, Segment, AdapterContext, ClassInput, FixEdit, BulkLoop, WriteKind } from './types';
